import Testing
import Intake

@Suite struct ColumnMappingTests {
    static let yaml = """
        columns:
          email: "E-Mail-Adresse"
          first_name: Vorname
          country: "Land"
        source: "trade-show-2026"
        """

    @Test func customYAMLMappingWithDefaultSource() throws {
        let mapping = try ColumnMapping.yaml(Self.yaml, file: "mapping.yaml")
        #expect(mapping.columns == [.email: "E-Mail-Adresse", .firstName: "Vorname", .country: "Land"])
        #expect(mapping.defaults == [.source: "trade-show-2026"])
        let bound = try mapping.bind(header: ["  e-mail-adresse ", "VORNAME", "Land", "Ignored"])
        #expect(bound.lead(from: ["a@example.com", "Anna", "Schweiz", "x"])
            == IncomingLead(email: "a@example.com", firstName: "Anna", country: "Schweiz", source: "trade-show-2026"))
    }

    @Test func defaultsFillOnlyEmptyValues() throws {
        let mapping = try ColumnMapping.yaml("""
            columns: {email: Email, source: Quelle}
            defaults: {source: fallback, campaign: spring}
            """, file: "m.yaml")
        let bound = try mapping.bind(header: ["Email", "Quelle"])
        #expect(bound.lead(from: ["a@example.com", "webinar"]).source == "webinar")
        #expect(bound.lead(from: ["a@example.com", " "]).source == "fallback")
        #expect(bound.lead(from: ["a@example.com", ""]).campaign == "spring")
    }

    @Test func unknownTargetFieldNamesTheFieldAndFile() {
        #expect {
            _ = try ColumnMapping.yaml("columns:\n  email: Email\n  mobile: Handy\n", file: "fair.yaml")
        } throws: { error in
            let error = error as? ColumnMappingError
            return error?.code == .unknownField && error?.column == "mobile"
                && error?.description.hasPrefix("fair.yaml: columns names unknown field \"mobile\"") == true
        }
    }

    @Test func mappedColumnMissingFromHeaderNamesTheColumnAndFile() throws {
        let mapping = try ColumnMapping.yaml(Self.yaml, file: "mapping.yaml")
        #expect(throws: ColumnMappingError(.missingColumn, mapping: "mapping.yaml", column: "Land",
                                           message: "the header has no column \"Land\" (mapped to country)")) {
            try mapping.bind(header: ["E-Mail-Adresse", "Vorname"])
        }
        #expect {
            try mapping.bind(header: ["Vorname", "Land"])
        } throws: { error in
            (error as? ColumnMappingError)?.description
                == "mapping.yaml: the header has no column \"E-Mail-Adresse\" for the required field email"
        }
    }

    @Test(arguments: [
        ("columns: [email]", ColumnMappingError.Code.invalidFile),
        ("colums:\n  email: Email", .invalidFile),
        ("source: x", .invalidFile),
        ("columns:\n  first_name: Vorname", .missingRequiredColumn),
        ("columns:\n  email: {nested: 1}", .invalidFile),
        ("columns: {email: \"Email\"", .invalidFile),
        ("- just\n- a list", .invalidFile),
        ("", .invalidFile),
    ])
    func invalidFiles(text: String, code: ColumnMappingError.Code) {
        #expect {
            _ = try ColumnMapping.yaml(text, file: "bad.yaml")
        } throws: { error in
            (error as? ColumnMappingError)?.code == code && (error as? ColumnMappingError)?.mapping == "bad.yaml"
        }
    }

    @Test func builtinMappingsNeedOnlyEmail() throws {
        let bound = try ColumnMapping.salesforce.bind(header: ["email", "LeadSource", "STATUS"])
        #expect(bound.lead(from: ["a@example.com", "Web", "Open"]) == IncomingLead(email: "a@example.com", source: "Web", status: "Open"))
        #expect(throws: ColumnMappingError.self) { try ColumnMapping.hubspot.bind(header: ["First Name", "Company Name"]) }
    }

    @Test func missingRequiredColumnFailsBeforeAnyRowIsRead() {
        var source = BytesChunkSource("FirstName,LastName\nAnna,Schmidt\n")
        #expect {
            _ = try CSVLeadReader(source: source, mapping: .salesforce, normalizer: LeadNormalizer(freeMailDomains: []))
        } throws: { error in
            (error as? ColumnMappingError)?.code == .missingRequiredColumn
        }
        #expect {
            _ = try CSVLeadReader(source: BytesChunkSource(""), mapping: .salesforce, normalizer: LeadNormalizer(freeMailDomains: []))
        } throws: { error in
            (error as? ColumnMappingError)?.code == .missingHeader
        }
        _ = try? source.nextChunk()
    }
}
