import Foundation
import Testing
import Intake

/// The sample exports in Tests/Fixtures (and the mapping in examples/) must parse and map
/// with exactly the expected results.
@Suite struct ExampleFileTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")
    static let examples = root.appendingPathComponent("examples")
    let normalizer = LeadNormalizer(freeMailDomains: ["gmail.com", "outlook.com", "hotmail.com"])

    func read(_ name: String, mapping: ColumnMapping, chunkSize: Int = 1 << 20) throws -> [IntakeItem<NormalizedLead>] {
        let handle = try FileHandle(forReadingFrom: Self.fixtures.appendingPathComponent(name))
        defer { try? handle.close() }
        var reader = try CSVLeadReader(source: FileHandleChunkSource(handle, chunkSize: chunkSize),
                                       mapping: mapping, normalizer: normalizer)
        var items: [IntakeItem<NormalizedLead>] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    @Test func salesforceLeads() throws {
        let items = try read("salesforce-leads.csv", mapping: .salesforce)
        #expect(items.count == 30)
        let accepted = items.compactMap(\.outcome.record)
        #expect(accepted.count == 27)
        let rejected = items.filter { !$0.outcome.isAccepted }
        #expect(rejected.map(\.line) == [10, 16, 21])
        #expect(rejected.map { $0.outcome.problems.map(\.description) } == [
            ["email: required"], ["email: not a valid e-mail address"], ["email: not a valid e-mail address"],
        ])
        let anna = accepted.filter { $0.email == "anna.schmidt@siemens-example.de" }
        #expect(anna.count == 2, "the duplicate differing in case and spaces folds to the same address")
        let becker = try #require(items.first { $0.outcome.record?.lastName == "Becker" })
        #expect(becker.line == 25)
        #expect(becker.outcome.record?.title == "Leiter Marketing\n(Interim)")
        #expect(items[1].line == 3 && items[26].line == 29)
        #expect(accepted.first { $0.lastName == "Evans" }?.company == "Humongous Insurance, Inc.")
        #expect(accepted.filter(\.isFreeMail).map(\.email) == ["mia.jensen@gmail.com"])
        #expect(Set(accepted.compactMap(\.countryCode)).isSuperset(of: ["DE", "US", "GB", "CH", "ES", "KR", "CZ", "AE", "NL", "AT", "JP"]))
        let warned = items.filter { !$0.outcome.warnings.isEmpty }
        #expect(warned.map { $0.outcome.warnings.map(\.description) } == [["country: not a known country name or ISO code"]])
        #expect(accepted.first?.employees == 12_000 && accepted.first?.annualRevenue == 2_500_000_000)
        #expect(accepted.first?.source == "Web" && accepted.first?.status == "Open - Not Contacted")
    }

    @Test func hubspotContacts() throws {
        let items = try read("hubspot-contacts.csv", mapping: .hubspot)
        #expect(items.count == 30)
        #expect(items.filter(\.outcome.isAccepted).count == 26)
        let rejected = items.filter { !$0.outcome.isAccepted }
        #expect(rejected.map(\.line) == [6, 15, 19, 21])
        #expect(rejected.map { $0.outcome.problems.map(\.code) } == [[.missing], [.invalidEmail], [.invalidEmail], [.wrongFieldCount]])
        #expect(rejected[3].outcome.problems.first?.description == "has 14 fields, the header has 13")
        let rachel = items.compactMap(\.outcome.record).filter { $0.email == "rachel.green@contoso.com" }
        #expect(rachel.count == 2)
        #expect(rachel.first?.employees == 1_000 && rachel.first?.annualRevenue == 100_000_000)
        #expect(rachel.first?.countryCode == "US" && rachel.first?.source == "Organic Search")
        let moreau = try #require(items.first { $0.outcome.record?.lastName == "Moreau" }?.outcome.record)
        #expect(moreau.company == "Coho Winery, Domaine du Lac")
        #expect(moreau.title == "Directeur Export\r\nAmériques et Asie")
        #expect(items.first?.outcome.record?.firstName == "Rachel", "the BOM does not leak into the first header")
        let warned = items.filter { !$0.outcome.warnings.isEmpty }
        #expect(warned.map(\.line) == [25])
        #expect(items.compactMap(\.outcome.record).filter(\.isFreeMail).count == 1)
    }

    @Test func tinyChunksGiveTheSameResult() throws {
        for name in ["salesforce-leads.csv", "hubspot-contacts.csv"] {
            let mapping: ColumnMapping = name.hasPrefix("salesforce") ? .salesforce : .hubspot
            let whole = try read(name, mapping: mapping)
            let tiny = try read(name, mapping: mapping, chunkSize: 3)
            #expect(whole.map(\.line) == tiny.map(\.line))
            #expect(whole.map(\.outcome) == tiny.map(\.outcome))
        }
    }

    @Test func exampleMappingFileParses() throws {
        let url = Self.examples.appendingPathComponent("mapping.yaml")
        let mapping = try ColumnMapping.yaml(String(contentsOf: url, encoding: .utf8), file: "mapping.yaml")
        #expect(mapping.columns[.email] == "E-Mail-Adresse")
        #expect(mapping.defaults[.source] == "trade-show-2026")
        let csv = "E-Mail-Adresse;Vorname;Nachname;Firma;Position;Land;Mitarbeiter;Telefon;Messe\n"
            + "k.weber@example.de;Karl;Weber;Beispiel GmbH;Einkauf;Deutschland;ca. 250;+49 30 1;Hannover Messe\n"
        var reader = try CSVLeadReader(source: BytesChunkSource(csv), mapping: mapping, normalizer: normalizer,
                                       options: CSVOptions(delimiter: UInt8(ascii: ";")))
        let lead = try #require(try reader.next()?.outcome.record)
        #expect(lead.source == "trade-show-2026" && lead.employees == 250 && lead.countryCode == "DE")
        #expect(lead.campaign == "Hannover Messe")
    }

    @Test func originalRecordKeepsTheRowAsJSON() throws {
        let items = try read("hubspot-contacts.csv", mapping: .hubspot)
        let missing = items[4]
        let object = try JSONSerialization.jsonObject(with: Data(missing.original.text.utf8)) as? [String: String]
        #expect(object?["Record ID"] == "5105")
        #expect(object?["Email"] == "")
        let extra = try JSONSerialization.jsonObject(with: Data(items[18].original.text.utf8)) as? [String: String]
        #expect(extra?["column 14"] == "lead")
    }
}
