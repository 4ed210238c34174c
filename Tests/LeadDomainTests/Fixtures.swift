import Foundation
@testable import LeadDomain

enum Fixtures {
    static let exampleURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/rules.yaml")

    static func exampleYAML() throws -> String { try String(contentsOf: exampleURL, encoding: .utf8) }

    static func exampleRules() throws -> RuleSet { try RuleSet.load(yaml: exampleYAML(), file: "examples/rules.yaml") }

    /// A small valid rule file; tests replace parts of it to break it.
    static let minimalYAML = """
        version: test-1
        thresholds:
          mql: 50
          fit_cutoff: 20
          interest_cutoff: 20
        icp:
          industries: { software: 20 }
          employee_bands:
            - { label: smb, min: 1, max: 199, points: 5 }
            - { label: enterprise, min: 200, points: 15 }
          countries: { DE: 10 }
          regions: { emea: 4 }
        negative_fit:
          free_mail: { points: -15, domains: [gmail.com, web.de] }
        personas:
          - { id: cto, titles: [cto, "chief technology officer"], points: 20 }
        behaviour:
          pricing_page_view:
            activity: page_view
            url_contains: [/pricing]
            points: 10
            half_life_days: 30
        calendars:
          berlin:
            time_zone: Europe/Berlin
            working_days: [mon, tue, wed, thu, fri]
            hours: { opens: "09:00", closes: "17:00" }
        default_calendar: berlin
        reps:
          - { id: ana@acme.example }
          - { id: ben@acme.example }
        teams:
          - id: inbound
            members:
              - { rep: ana@acme.example, weight: 2 }
              - { rep: ben@acme.example }
        routing:
          - { id: inbound, assign: { team: inbound } }
        default_owner: ana@acme.example
        sla:
          first_touch_business_hours: 2
          working_window_business_days: 10
          on_breach: notify_manager
        """

    static func errors(_ yaml: String) -> [RuleSetError] {
        do {
            _ = try RuleSet.load(yaml: yaml, file: "rules.yaml")
            return []
        } catch {
            return error.errors
        }
    }

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }
}
