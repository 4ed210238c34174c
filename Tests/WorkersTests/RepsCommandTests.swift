import Foundation
import Postgres
import TestSupport
import Testing

/// `leadrelay reps`, run as the built program against a scratch database.
@Suite struct RepsCommandTests {
    static func file(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reps-\(UUID().uuidString).csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func value<T: PostgresDecodable>(_ sql: String, _ parameters: [any PostgresEncodable] = [], _ config: PostgresConfig,
                                            as type: T.Type = T.self) async throws -> T? {
        let connection = try await Connection.connect(config)
        let value = try await connection.query(sql, parameters).first?.decode(0, as: T?.self)
        await connection.close()
        return value
    }

    /// The line of `reps list` that starts with `rep`.
    static func row(_ rep: String, in output: String) -> String? {
        output.split(separator: "\n").map(String.init).first { $0.hasPrefix(rep + " ") }
    }

    @Test func importListSetAwayAndReimport() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let empty = try LeadRelayCLI.run(["reps", "list"], config: config)
            #expect(empty.status == 0)
            #expect(empty.output.contains("the roster is empty"), "\(empty.output)")

            let roster = try Self.file("""
                ID,Name,Email,Team,Manager
                priya.raman@northwind.example,Priya Raman,priya.raman@northwind.example,na_inbound,dana.whitfield@northwind.example
                tom.becker@northwind.example,"Becker, Tom",tom@northwind.example,na_inbound,dana.whitfield@northwind.example
                dana.whitfield@northwind.example,Dana Whitfield,,,

                """)
            defer { try? FileManager.default.removeItem(at: roster) }
            let imported = try LeadRelayCLI.run(["reps", "import", roster.path], config: config)
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(imported.output.contains("imported 3 from \(roster.path): 3 new, 0 updated"), "\(imported.output)")
            #expect(imported.output.contains("no rule set is active"))
            #expect(try await Self.value("SELECT name FROM reps WHERE id = 'tom.becker@northwind.example'", [], config, as: String.self)
                    == "Becker, Tom")
            #expect(try await Self.value("SELECT count(*) FROM reps WHERE email IS NULL AND team IS NULL AND manager IS NULL", [], config,
                                         as: Int.self) == 1, "empty cells are NULL")
            #expect(try await Self.value("SELECT count(*) FROM rep_state", [], config, as: Int.self) == 3)

            let away = try LeadRelayCLI.run(["reps", "set-away", "tom.becker@northwind.example", "--from", "2099-12-21", "--to", "2100-01-01"],
                                            config: config)
            #expect(away.status == 0, "\(away.errors)")
            #expect(away.output.contains("away from 2099-12-21 through 2100-01-01"))

            let list = try LeadRelayCLI.run(["reps", "list"], config: config)
            #expect(list.status == 0)
            let tom = try #require(Self.row("tom.becker@northwind.example", in: list.output), "\(list.output)")
            #expect(tom.contains("Becker, Tom") && tom.contains("na_inbound") && tom.contains("yes"))
            #expect(tom.contains("2099-12-21…2100-01-01"))
            #expect(Self.row("priya.raman@northwind.example", in: list.output)?.contains("2099") == false)

            // A second file updates the known reps by id and adds the new one.
            let update = try Self.file("id,name\npriya.raman@northwind.example,Priya R.\nwei.ling.tan@northwind.example,Wei Ling Tan\n")
            defer { try? FileManager.default.removeItem(at: update) }
            let again = try LeadRelayCLI.run(["reps", "import", update.path], config: config)
            #expect(again.status == 0, "\(again.errors)")
            #expect(again.output.contains("1 new, 1 updated"), "\(again.output)")
            #expect(try await Self.value("SELECT name FROM reps WHERE id = 'priya.raman@northwind.example'", [], config, as: String.self)
                    == "Priya R.")
            #expect(try await Self.value("SELECT count(*) FROM reps", [], config, as: Int.self) == 4)
        }
    }

    @Test func aBrokenFileIsRefusedLineByLineAndNothingStored() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let broken = try Self.file("""
                id,name,region
                ann@x.example,Ann,emea
                ,Nobody,emea
                ann@x.example,Ann Again,emea
                ben@x.example,Ben

                """)
            defer { try? FileManager.default.removeItem(at: broken) }
            let result = try LeadRelayCLI.run(["reps", "import", broken.path], config: config)
            #expect(result.status != 0)
            let lines = result.errors.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("\(broken.path):1:") && $0.contains("unknown column 'region'") }, "\(result.errors)")
            #expect(lines.contains { $0.hasPrefix("\(broken.path):3:") && $0.contains("the id is empty") })
            #expect(lines.contains { $0.hasPrefix("\(broken.path):4:") && $0.contains("already on line 2") })
            #expect(lines.contains { $0.hasPrefix("\(broken.path):5:") && $0.contains("2 cells") })
            #expect(result.errors.contains("nothing was stored"))
            #expect(try await Self.value("SELECT count(*) FROM reps", [], config, as: Int.self) == 0)

            let noID = try Self.file("name,email\nAnn,ann@x.example\n")
            defer { try? FileManager.default.removeItem(at: noID) }
            let missing = try LeadRelayCLI.run(["reps", "import", noID.path], config: config)
            #expect(missing.status != 0)
            #expect(missing.errors.contains("\(noID.path):1: no id column"), "\(missing.errors)")

            let absent = try LeadRelayCLI.run(["reps", "import", "/nonexistent/reps.csv"], config: config)
            #expect(absent.status != 0)
            #expect(absent.errors.contains("cannot open /nonexistent/reps.csv"), "\(absent.errors)")
        }
    }

    @Test func setAwayAndDeactivateRefuseWhatTheyCannotDo() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let badDate = try LeadRelayCLI.run(["reps", "set-away", "ann", "--from", "21.12.2026", "--to", "2026-12-24"], config: config)
            #expect(badDate.status != 0)
            #expect(badDate.errors.contains("--from: '21.12.2026' is not a date; write YYYY-MM-DD"), "\(badDate.errors)")
            let backwards = try LeadRelayCLI.run(["reps", "set-away", "ann", "--from", "2026-12-24", "--to", "2026-12-21"], config: config)
            #expect(backwards.status != 0)
            #expect(backwards.errors.contains("--to (2026-12-21) is before --from (2026-12-24)"), "\(backwards.errors)")
            for command in [["set-away", "ann", "--from", "2026-12-21", "--to", "2026-12-24"], ["deactivate", "ann"], ["activate", "ann"]] {
                let unknown = try LeadRelayCLI.run(["reps"] + command, config: config)
                #expect(unknown.status != 0)
                #expect(unknown.errors.contains("no rep 'ann' in the roster"), "\(unknown.errors)")
            }
        }
    }

    /// With a rule set active, import compares the roster with it; deactivation queues the
    /// rep's open leads for the handoff workers.
    @Test func deactivateQueuesTheOpenLeadsAndActivateUndoes() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let rules = try LeadRelayCLI.run(["rules", "apply", "examples/rules.yaml"], config: config)
            #expect(rules.status == 0, "\(rules.errors)")
            let roster = try Self.file("id,name\npriya.raman@northwind.example,Priya\nintern@northwind.example,Intern\n")
            defer { try? FileManager.default.removeItem(at: roster) }
            let imported = try LeadRelayCLI.run(["reps", "import", roster.path], config: config)
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(imported.output.contains("get leads only as account owners: intern@northwind.example"), "\(imported.output)")
            #expect(imported.output.contains("not in the roster, so routing passes them over: dana.whitfield@northwind.example"))

            let connection = try await Connection.connect(config)
            try await connection.query("""
                WITH lead AS (
                    INSERT INTO leads (email, email_domain, stage) VALUES ('ada@acme.example', 'acme.example', 'sal') RETURNING id
                )
                INSERT INTO assignments (lead_id, rep_id, source, team, rule_id, rule_version, assigned_at)
                SELECT id, 'priya.raman@northwind.example', 'team', 'na_inbound', 'north_america', 1, now() FROM lead
                """)
            try await connection.query("UPDATE rep_state SET open_load = 1 WHERE rep_id = 'priya.raman@northwind.example'")
            await connection.close()

            let deactivated = try LeadRelayCLI.run(["reps", "deactivate", "priya.raman@northwind.example"], config: config)
            #expect(deactivated.status == 0, "\(deactivated.errors)")
            #expect(deactivated.output.contains("priya.raman@northwind.example is inactive; 1 open lead queued for routing again"),
                    "\(deactivated.output)")
            #expect(try await Self.value("SELECT payload->>'stage' FROM jobs WHERE kind = 'handoff'", [], config, as: String.self) == "sal")
            #expect(try await Self.value("SELECT end_reason FROM assignments", [], config, as: String.self) == "rep_deactivated")
            let list = try LeadRelayCLI.run(["reps", "list"], config: config)
            #expect(Self.row("priya.raman@northwind.example", in: list.output)?.contains(" no ") == true, "\(list.output)")

            let activated = try LeadRelayCLI.run(["reps", "activate", "priya.raman@northwind.example"], config: config)
            #expect(activated.status == 0, "\(activated.errors)")
            #expect(try await Self.value("SELECT active FROM reps WHERE id = 'priya.raman@northwind.example'", [], config, as: Bool.self) == true)
        }
    }
}
