import ArgumentParser
import Foundation
import LeadDomain
import LeadStore
import Postgres
import Workers

struct RepsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reps",
        abstract: "The sales reps' roster: import it, list it, mark time away, deactivate a rep.",
        discussion: """
            Teams, weights, capacity caps and working hours come from the rule set;
            the roster says who exists, who is active and who is away. A rule-set
            rep who is not in the roster gets no leads: routing passes them over
            with the reason no_state.

              leadrelay reps import reps.csv
              leadrelay reps list
              leadrelay reps set-away tom@northwind.example --from 2026-12-21 --to 2027-01-01
              leadrelay reps deactivate tom@northwind.example
            """,
        subcommands: [Import.self, List.self, SetAway.self, Deactivate.self, Activate.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add reps from a CSV file, or update the ones already known (by id).",
            discussion: """
                The first line names the columns, in any order and any case:
                  id       required: the rep's id as the rule set writes it
                  name     the rep's name
                  email    where they get mail
                  team     their team, for people and reports only (routing
                           takes team membership from the rule set)
                  manager  the id of their manager
                Empty cells are stored as NULL. A known rep's details are replaced;
                whether they are active, and their open leads, stay as they are.
                The file is checked whole first: with any problem, nothing is stored.

                  id,name,email,team,manager
                  priya@northwind.example,Priya Raman,priya@northwind.example,na,dana
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            let records: [RepRecord]
            do {
                records = try RepFile.read(path: file)
            } catch let problems as CheckedCSVFile.Problems {
                problems.report(file: file, command: "reps")
                throw ExitCode.failure
            }
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay reps"))
            let (counts, roster, rules) = try await connection.withTransaction { connection in
                let counts = try connection.upsertReps(records)
                let roster = try connection.query("SELECT id FROM reps").map { try $0.decode(0, as: String.self) }
                return (counts, roster, try connection.activeRuleSet())
            }
            await connection.close()
            print("reps: imported \(records.count) from \(file): \(counts.inserted) new, \(counts.updated) updated")
            guard let rules, let ruleSet = try? RuleSet(json: Data(rules.definition.utf8), file: "rule set version \(rules.version)") else {
                print("note: no rule set is active, so the roster was not compared with one")
                return
            }
            let known = Set(ruleSet.reps.map(\.id.rawValue))
            let outside = records.map(\.id).filter { !known.contains($0) }
            if !outside.isEmpty {
                print("note: not in rule set version \(rules.version), so they get leads only as account owners: "
                      + outside.joined(separator: ", "))
            }
            let rosterSet = Set(roster)
            let missing = ruleSet.reps.map(\.id.rawValue).filter { !rosterSet.contains($0) }
            if !missing.isEmpty {
                print("note: in rule set version \(rules.version) but not in the roster, so routing passes them over: "
                      + missing.joined(separator: ", "))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every rep: team, manager, active or not, time away to come, open leads and leads assigned in all.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay reps"))
            let today = String(Format.timestamp(Date()).prefix(10))
            let reps = try await connection.repRoster(today: today)
            await connection.close()
            guard !reps.isEmpty else {
                print("reps: the roster is empty; load it with `leadrelay reps import FILE.csv`")
                return
            }
            let table = TextTable(headers: ["id", "name", "team", "manager", "active", "away", "open", "assigned", "last assigned"],
                                  rightAligned: [6, 7])
            for rep in reps {
                table.add([
                    rep.id, rep.name ?? "", rep.team ?? "", rep.manager ?? "", rep.isActive ? "yes" : "no",
                    rep.away.map { $0.from == $0.through ? $0.from : "\($0.from)…\($0.through)" }.joined(separator: ", "),
                    String(rep.openLoad), String(rep.assignedTotal), rep.lastAssignedAt.map(Format.timestamp) ?? "",
                ])
            }
            print(table.render())
        }
    }

    struct SetAway: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-away",
            abstract: "Mark a rep away for whole days: routing passes them over on those days.",
            discussion: """
                Days are read in the rep's own calendar (its time zone), as the
                out-of-office days in the rule file are. The leads the rep already
                has stay with them.

                  leadrelay reps set-away tom@northwind.example --from 2026-12-21 --to 2027-01-01
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The rep's id.") var rep: String
        @Option(help: ArgumentHelp("The first day away.", valueName: "YYYY-MM-DD")) var from: String
        @Option(help: ArgumentHelp("The last day away (inclusive).", valueName: "YYYY-MM-DD")) var to: String

        func validate() throws {
            guard let first = LocalDate(from) else { throw ValidationError("--from: '\(from)' is not a date; write YYYY-MM-DD") }
            guard let last = LocalDate(to) else { throw ValidationError("--to: '\(to)' is not a date; write YYYY-MM-DD") }
            guard first <= last else { throw ValidationError("--to (\(to)) is before --from (\(from))") }
        }

        func run() async throws {
            let (rep, from, to) = (rep, from, to)
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay reps"))
            let known = try await connection.withTransaction { try $0.addAwayPeriod(rep: rep, from: from, through: to) }
            await connection.close()
            guard known else { throw CommandError.noSuchRep(rep) }
            print("reps: \(rep) is away from \(from) through \(to)")
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop routing leads to a rep, and route their open leads again.",
            discussion: """
                The rep's open assignments end (reason rep_deactivated) and each of
                those leads is queued for the handoff workers, which route it by the
                rules again, passing over the inactive rep. `reps activate` lets the
                rep take leads again.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The rep's id.") var rep: String

        func run() async throws {
            let rep = rep
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay reps"))
            let (queued, rules) = try await connection.withTransaction { connection in
                (try HandoffReassignment.deactivate(rep: rep, on: connection), try connection.activeRuleSet())
            }
            await connection.close()
            guard let queued else { throw CommandError.noSuchRep(rep) }
            print("reps: \(rep) is inactive; \(queued.count) open lead\(queued.count == 1 ? "" : "s") queued for routing again")
            if let rules, let ruleSet = try? RuleSet(json: Data(rules.definition.utf8), file: "rule set version \(rules.version)"),
               ruleSet.defaultOwner.rawValue == rep {
                print("note: \(rep) is the default owner in rule set version \(rules.version), and still gets the leads nobody else can take")
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a deactivated rep take new leads again.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The rep's id.") var rep: String

        func run() async throws {
            let rep = rep
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay reps"))
            let known = try await connection.withTransaction { try $0.activateRep(rep) }
            await connection.close()
            guard known else { throw CommandError.noSuchRep(rep) }
            print("reps: \(rep) is active")
        }
    }
}

extension CommandError {
    static func noSuchRep(_ rep: String) -> CommandError {
        CommandError("no rep '\(rep)' in the roster; `leadrelay reps list` shows them, `leadrelay reps import` adds them")
    }
}

/// The roster CSV, read and checked whole.
enum RepFile {
    static let columns = ["id", "name", "email", "team", "manager"]

    static func read(path: String) throws -> [RepRecord] {
        var seen: [String: Int] = [:]
        return try CheckedCSVFile.read(path: path, noun: "reps", header: { names, line, problems in
            var position: [String: Int] = [:]
            for (index, name) in names.enumerated() {
                if !columns.contains(name) {
                    problems.append("\(line): unknown column '\(name)'; the columns are \(columns.joined(separator: ", "))")
                } else if position[name] != nil {
                    problems.append("\(line): column '\(name)' appears twice")
                } else {
                    position[name] = index
                }
            }
            guard position["id"] != nil else {
                throw CheckedCSVFile.Problems(lines: problems + ["\(line): no id column; the columns are \(columns.joined(separator: ", "))"])
            }
            return position
        }, record: { row, problems in
            guard let id = row["id"] else {
                problems.append("\(row.line): the id is empty")
                return nil
            }
            if let first = seen[id] {
                problems.append("\(row.line): rep '\(id)' is already on line \(first)")
                return nil
            }
            seen[id] = row.line
            return RepRecord(id: id, name: row["name"], email: row["email"], team: row["team"], manager: row["manager"])
        })
    }
}
