import Foundation
import Testing
@testable import LeadDomain

@Suite("Rule set loading and validation")
struct RuleSetLoadingTests {
    @Test func exampleRuleFileLoadsCleanly() throws {
        let rules = try Fixtures.exampleRules()
        #expect(rules.version == "2026.11-1")
        #expect(rules.behaviour.contains { $0.id == "pricing_page_view" && $0.points > 0 })
        #expect(rules.behaviour.contains { $0.id == "careers_page_view" && $0.points < 0 })
        #expect(rules.behaviour.first { $0.id == "demo_request" }?.fastTrack == .sal)
        #expect(rules.negativeFit.freeMail?.domains.contains("gmail.com") == true)
        #expect(rules.negativeFit.disposableMail?.domains.contains("mailinator.com") == true)
        #expect(rules.teams.count == 4)
        #expect(rules.routing.first?.assign == .accountOwner)
        #expect(rules.defaultOwner == RepID("sales.desk@northwind.example"))
        #expect(rules.calendar(id: "berlin")?.timeZone.identifier == "Europe/Berlin")
        #expect(rules.icp.countries["DE"] == 10)
    }

    @Test func minimalFixtureLoads() throws {
        let rules = try RuleSet.load(yaml: Fixtures.minimalYAML, file: "rules.yaml")
        #expect(rules.thresholds == Thresholds(mql: 50, fitCutoff: 20, interestCutoff: 20))
        #expect(rules.teams[0].members.map(\.weight) == [2, 1])
    }

    @Test func jsonRoundTripIsLossless() throws {
        let rules = try Fixtures.exampleRules()
        let json = rules.encodeJSON()
        let back = try RuleSet(json: json)
        #expect(back == rules)
        #expect(back.encodeJSON() == json)
    }

    @Test func jsonIsValidatedLikeYAML() {
        let json = Data(#"{"version": "x", "thresholds": {"mql": 5000, "fit_cutoff": 1, "interest_cutoff": 1}, "colour": 1}"#.utf8)
        #expect(throws: RuleSetValidationError.self) { try RuleSet(json: json, file: "rule_set#7") }
        do {
            _ = try RuleSet(json: json, file: "rule_set#7")
        } catch {
            #expect(error.errors.contains { $0.code == .outOfRange && $0.path == "thresholds.mql" && $0.file == "rule_set#7" })
            #expect(error.errors.contains { $0.code == .unknownKey && $0.path == "colour" })
            #expect(error.errors.contains { $0.code == .missingKey && $0.message.contains("sla") })
        }
    }

    @Test func unknownKeyIsAnError() {
        let yaml = Fixtures.minimalYAML.replacingOccurrences(of: "    points: 10\n", with: "    points: 10\n    pionts: 3\n")
        let errors = Fixtures.errors(yaml)
        #expect(errors.count == 1)
        #expect(errors.first?.code == .unknownKey)
        #expect(errors.first?.path == "behaviour.pricing_page_view.pionts")
        #expect(errors.first?.line != nil)
    }

    @Test func wrongTypeNamesThePath() {
        let yaml = Fixtures.minimalYAML.replacingOccurrences(of: "    points: 10\n", with: "    points: \"ten\"\n")
        let errors = Fixtures.errors(yaml)
        #expect(errors.map(\.code) == [.wrongType])
        #expect(errors.first?.path == "behaviour.pricing_page_view.points")
        #expect(errors.first?.description.contains("rules.yaml:") == true)
    }

    @Test func negativeHalfLifeIsRejected() {
        let yaml = Fixtures.minimalYAML.replacingOccurrences(of: "half_life_days: 30", with: "half_life_days: -7")
        let errors = Fixtures.errors(yaml)
        #expect(errors.map(\.code) == [.outOfRange])
        #expect(errors.first?.path == "behaviour.pricing_page_view.half_life_days")
    }

    @Test func emptyTeamIsRejected() {
        let yaml = Fixtures.minimalYAML.replacingOccurrences(of: """
                members:
                  - { rep: ana@acme.example, weight: 2 }
                  - { rep: ben@acme.example }
            """, with: "    members: []")
        let errors = Fixtures.errors(yaml)
        #expect(errors.map(\.code) == [.empty])
        #expect(errors.first?.path == "teams[0].members")
    }

    @Test func thresholdOutOfRangeIsRejected() {
        let yaml = Fixtures.minimalYAML.replacingOccurrences(of: "mql: 50", with: "mql: 0")
        let errors = Fixtures.errors(yaml)
        #expect(errors.map(\.code) == [.outOfRange])
        #expect(errors.first?.path == "thresholds.mql")
        #expect(errors.first?.message.contains("between 1 and 1000") == true)
    }

    @Test func everyProblemInAFileIsReported() {
        var yaml = Fixtures.minimalYAML
        yaml = yaml.replacingOccurrences(of: "mql: 50", with: "mql: 5000")
        yaml = yaml.replacingOccurrences(of: "half_life_days: 30", with: "half_life_days: 0")
        yaml = yaml.replacingOccurrences(of: "    points: 10\n", with: "    points: lots\n    colour: red\n")
        yaml = yaml.replacingOccurrences(of: "time_zone: Europe/Berlin", with: "time_zone: Europe/Atlantis")
        yaml = yaml.replacingOccurrences(of: "- { rep: ben@acme.example }", with: "- { rep: carl@acme.example }")
        yaml = yaml.replacingOccurrences(of: "on_breach: notify_manager", with: "on_breach: shout")
        let errors = Fixtures.errors(yaml)
        let found = Set(errors.map { "\($0.code) \($0.path)" })
        #expect(found == [
            "out_of_range thresholds.mql",
            "out_of_range behaviour.pricing_page_view.half_life_days",
            "wrong_type behaviour.pricing_page_view.points",
            "unknown_key behaviour.pricing_page_view.colour",
            "invalid_value calendars.berlin.time_zone",
            "unknown_reference teams[0].members[1].rep",
            "invalid_value sla.on_breach",
        ])
        #expect(errors.count == 7)
        // Reported in file order.
        let lines = errors.compactMap(\.line)
        #expect(lines == lines.sorted())
    }

    @Test func brokenReferencesAndDuplicatesAreReported() {
        var yaml = Fixtures.minimalYAML
        yaml = yaml.replacingOccurrences(of: "default_owner: ana@acme.example", with: "default_owner: zed@acme.example")
        yaml = yaml.replacingOccurrences(of: "assign: { team: inbound }", with: "assign: { team: outbound }")
        yaml = yaml.replacingOccurrences(of: "  - { id: ben@acme.example }", with: "  - { id: ana@acme.example }")
        let errors = Fixtures.errors(yaml)
        #expect(errors.contains { $0.code == .unknownReference && $0.path == "default_owner" })
        #expect(errors.contains { $0.code == .unknownReference && $0.path == "routing[0].assign" })
        #expect(errors.contains { $0.code == .duplicateID && $0.path == "reps[1].id" })
        #expect(errors.contains { $0.code == .unknownReference && $0.path == "teams[0].members[1].rep" })
    }

    @Test func errorDescriptionsLeakNoValues() {
        let yaml = Fixtures.minimalYAML.replacingOccurrences(of: "default_owner: ana@acme.example", with: "default_owner: secret.person@acme.example")
        let error = #expect(throws: RuleSetValidationError.self) { try RuleSet.load(yaml: yaml, file: "rules.yaml") }
        #expect(error?.description.contains("secret.person") == false)
        #expect(error?.description.contains("default_owner") == true)
    }

    @Test func malformedInputsNeverCrash() {
        let inputs = ["", "just text", "- a\n- b", "version: [", "thresholds: 3", "{{{", "version: x\nversion: y",
                      "calendars: {a: {time_zone: 3}}", "\t- bad indentation:\n  x"]
        for input in inputs {
            let errors = Fixtures.errors(input)
            #expect(!errors.isEmpty, "input: \(input)")
        }
    }

    @Test func syntaxErrorHasALineAndNoQuotedText() {
        let errors = Fixtures.errors("version: x\nthresholds: {mql: 5\nicp: [")
        #expect(errors.count == 1)
        #expect(errors.first?.code == .syntax)
        #expect(errors.first?.line != nil)
    }

    @Test func duplicateKeyIsReported() {
        let errors = Fixtures.errors(Fixtures.minimalYAML + "\nversion: again\n")
        #expect(errors.contains { $0.code == .duplicateKey })
    }

    @Test func countryCodeNoStaysText() throws {
        let yaml = Fixtures.minimalYAML.replacingOccurrences(of: "countries: { DE: 10 }", with: "countries: { NO: 7, DE: 10 }")
        let rules = try RuleSet.load(yaml: yaml, file: "rules.yaml")
        #expect(rules.icp.countries["NO"] == 7)
    }
}
