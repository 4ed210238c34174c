import ArgumentParser
import Foundation
import Postgres

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the schema migrations that this database does not have yet.",
        discussion: "Safe to run from several processes at once, and to run again: it then changes nothing."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp(
        "Folder of numbered .sql files. Default: $LEADRELAY_SCHEMA_DIR, else ./schema, else the schema folder beside the installed program.",
        valueName: "dir"
    ))
    var schema: String?

    func run() async throws {
        let directory = try SchemaLocation.resolve(schema)
        let migrator = try Migrator(directory: directory)
        let connection = try await Connection.connect(database.config(applicationName: "leadrelay migrate"))
        let applied = try await migrator.migrate(connection)
        await connection.close()
        if applied.isEmpty {
            print("migrate: the database is up to date (\(migrator.migrations.count) migrations)")
        } else {
            for migration in applied { print("migrate: applied \(migration.fileName)") }
        }
    }
}

enum SchemaLocation {
    static func resolve(_ explicit: String?) throws -> URL {
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        else {
            if let fromEnvironment = ProcessInfo.processInfo.environment["LEADRELAY_SCHEMA_DIR"] {
                candidates.append(URL(fileURLWithPath: fromEnvironment))
            }
            candidates.append(URL(fileURLWithPath: "schema"))
            // A build in .build/<config>/ or an install in <prefix>/bin/ finds the schema upward.
            let program = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            candidates.append(program.appendingPathComponent("../share/leadrelay/schema").standardized)
            var folder = program
            for _ in 0..<4 {
                folder = folder.deletingLastPathComponent()
                candidates.append(folder.appendingPathComponent("schema"))
            }
        }
        var isDirectory: ObjCBool = false
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && isDirectory.boolValue {
            return candidate
        }
        throw ValidationError("no schema folder found (looked in \(candidates.map(\.path).joined(separator: ", "))); pass --schema DIR")
    }
}
