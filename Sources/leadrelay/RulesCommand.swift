import ArgumentParser
import Foundation
import LeadDomain
import LeadStore
import Postgres
import Workers

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Apply, inspect, compare and roll back the scoring rule set.",
        discussion: """
            Marketing and sales edit one YAML rule file. `rules apply` validates it, stores it as a
            new version and activates it; every open lead is then rescored by the scoring workers.
            Every version is kept: `rules diff` compares two, `rules activate` goes back to one.

              leadrelay rules apply examples/rules.yaml --comment "MQL threshold 60 → 70"
              leadrelay rules list
              leadrelay rules diff 3 4
              leadrelay rules activate 3
            """,
        subcommands: [Apply.self, List.self, Show.self, Diff.self, Activate.self]
    )

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a YAML rule file, store it as a new version, activate it and queue the rescoring of every open lead."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The YAML rule file, e.g. examples/rules.yaml.") var file: String
        @Option(help: "Why the rules change, kept with the version.") var comment: String?
        @Option(help: "Who applies the rules (default: $USER).") var by: String?

        func validate() throws {
            if let by, by.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--by must not be empty") }
        }

        func run() async throws {
            let rules = try RuleFile.load(path: file)
            let json = String(decoding: rules.encodeJSON(), as: UTF8.self)
            let environmentUser = ProcessInfo.processInfo.environment["USER"]?.nilIfEmpty
            let author = by?.trimmingCharacters(in: .whitespacesAndNewlines) ?? environmentUser ?? "unknown"
            let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            let file = file
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay rules"))
            let (version, isNew, jobs) = try await connection.withTransaction { connection in
                let (version, isNew) = try connection.applyRuleSet(json: json, createdBy: author, comment: comment, sourceFile: file)
                // Same transaction: a new version is never active without its rescore queued.
                return (version, isNew, isNew ? try RescoreJob.enqueueAll(on: connection) : 0)
            }
            await connection.close()
            if isNew {
                print("rules: version \(version) is active (from \(file)); queued \(jobs) rescore job\(jobs == 1 ? "" : "s")")
            } else {
                print("rules: \(file) is unchanged: version \(version) stays active; no new version, nothing queued")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every version, newest first: active marker, when, by whom, comment, source file.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay rules"))
            let versions = try await connection.ruleSetHistory()
            await connection.close()
            guard !versions.isEmpty else {
                print("rules: no versions yet; store one with `leadrelay rules apply FILE.yaml`")
                return
            }
            let table = TextTable(headers: ["version", "active", "created at", "by", "comment", "source file"], rightAligned: [0])
            for version in versions {
                table.add([
                    String(version.version), version.isActive ? "*" : "", Format.timestamp(version.createdAt), version.createdBy,
                    version.comment.map(Format.oneLine) ?? "", version.sourceFile ?? "",
                ])
            }
            print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a version of the rule set (default: the active one).",
            discussion: """
                YAML output starts with the version's details as comments, and can be applied again
                as it is. With --format json, the details go to standard error and standard output
                holds only the rule set's JSON.
                """
        )

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case yaml, json
        }

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The version (default: the active one).") var version: Int?
        @Option(help: "yaml or json.") var format: OutputFormat = .yaml

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay rules"))
            let stored: StoredRuleSet?
            if let version {
                stored = try await connection.ruleSet(version: version)
            } else {
                stored = try await connection.activeRuleSet()
            }
            await connection.close()
            guard let stored else {
                if let version { throw CommandError.noSuchRuleSet(version) }
                throw CommandError("no rule set is active: store one with `leadrelay rules apply FILE.yaml`")
            }
            var header = ["version: \(stored.version)\(stored.isActive ? " (active)" : "")",
                          "by: \(stored.createdBy)",
                          "created at: \(Format.timestamp(stored.createdAt))"]
            if let activated = stored.activatedAt { header.append("last activated at: \(Format.timestamp(activated))") }
            header.append("comment: \(stored.comment.map(Format.oneLine) ?? "none")")
            if let source = stored.sourceFile { header.append("source file: \(source)") }
            let definition = try stored.parsedDefinition()
            switch format {
            case .yaml:
                print(header.map { "# " + $0 }.joined(separator: "\n"))
                print(try definition.yaml(), terminator: "")
            case .json:
                FileHandle.standardError.write(Data((header.joined(separator: "\n") + "\n").utf8))
                print(definition.pretty())
            }
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What changed from one version to another, rule by rule.",
            discussion: """
                One line per difference, by path: `~ thresholds.mql: 60 → 70` (changed),
                `+ behaviour.pricing_page_view: {…}` (added), `- personas[student]: {…}` (removed),
                `~ routing: order [a, b] → [b, a]` (same entries, new order). Lists of entries with
                an id are matched by id.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The older version.") var from: Int
        @Argument(help: "The newer version.") var to: Int

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay rules"))
            let old = try await connection.ruleSet(version: from)
            let new = try await connection.ruleSet(version: to)
            await connection.close()
            guard let old else { throw CommandError.noSuchRuleSet(from) }
            guard let new else { throw CommandError.noSuchRuleSet(to) }
            let changes = JSONDiff.changes(from: try old.parsedDefinition(), to: try new.parsedDefinition())
            guard !changes.isEmpty else {
                print("rules: no differences between version \(from) and version \(to)")
                return
            }
            print(changes.map(\.line).joined(separator: "\n"))
            print("rules: \(changes.count) difference\(changes.count == 1 ? "" : "s") from version \(from) to version \(to)")
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an existing version the active one again (roll back or forward) and queue the rescoring of every open lead."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The version, as `leadrelay rules list` shows it.") var version: Int

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay rules"))
            let version = version
            let outcome = try await connection.withTransaction { connection -> (alreadyActive: Bool, jobs: Int) in
                guard let stored = try connection.ruleSet(version: version) else { throw CommandError.noSuchRuleSet(version) }
                if stored.isActive { return (true, 0) }
                // An old version may predate a rule the domain now requires; the workers
                // could not load it, so refuse it here rather than stall scoring.
                do {
                    _ = try RuleSet(json: Data(stored.definition.utf8), file: "rule set version \(version)")
                } catch {
                    throw CommandError("\(error)\nrules: version \(version) is not valid under the current rules format; nothing changed")
                }
                guard try connection.activateRuleSet(version: version) else { throw CommandError.noSuchRuleSet(version) }
                return (false, try RescoreJob.enqueueAll(on: connection))
            }
            await connection.close()
            if outcome.alreadyActive {
                print("rules: version \(version) is already active; nothing queued")
            } else {
                print("rules: version \(version) is active; queued \(outcome.jobs) rescore job\(outcome.jobs == 1 ? "" : "s")")
            }
        }
    }
}

/// Reading a rule file for `rules apply`.
enum RuleFile {
    /// The validated rule set. Every problem goes to standard error, one per line with the
    /// file, line and path, and the command then fails without touching the database.
    static func load(path: String) throws -> RuleSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CommandError("cannot read \(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("cannot read \(path)") }
        guard let yaml = String(data: data, encoding: .utf8) else { throw CommandError("\(path) is not UTF-8 text") }
        do {
            return try RuleSet.load(yaml: yaml, file: path)
        } catch {
            let noun = error.errors.count == 1 ? "problem" : "problems"
            let lines = error.errors.map(\.description) + ["rules: \(path) has \(error.errors.count) \(noun); nothing was stored"]
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            throw ExitCode.failure
        }
    }
}

/// A command that cannot do what was asked; ArgumentParser prints it and exits with 1.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    static func noSuchRuleSet(_ version: Int) -> CommandError {
        CommandError("no rule set version \(version); `leadrelay rules list` shows the versions")
    }
}

extension StoredRuleSet {
    func parsedDefinition() throws -> JSONNode {
        do {
            return try JSONNode(parsing: Data(definition.utf8))
        } catch {
            throw CommandError("rule set version \(version): the stored definition is not valid JSON")
        }
    }
}

extension Format {
    /// ISO 8601 in UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// Free text on one table line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
