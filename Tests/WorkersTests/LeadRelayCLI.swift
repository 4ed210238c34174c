import Foundation
import Postgres
import TestSupport

/// Runs the built `leadrelay` program against a test database, from the repository root.
enum LeadRelayCLI {
    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Standard output and standard error go to files rather than pipes, so that a long
    /// output cannot fill a pipe buffer and stall the program while the test waits.
    static func run(_ arguments: [String], config: PostgresConfig) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadrelay-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputFile = folder.appendingPathComponent("stdout")
        let errorFile = folder.appendingPathComponent("stderr")
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        let output = try FileHandle(forWritingTo: outputFile)
        let errors = try FileHandle(forWritingTo: errorFile)
        defer {
            try? output.close()
            try? errors.close()
        }

        let process = Process()
        process.executableURL = TestDatabase.leadrelayProgram
        process.arguments = arguments
        process.currentDirectoryURL = TestDatabase.repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = config.conninfo
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: try String(contentsOf: outputFile, encoding: .utf8),
            errors: try String(contentsOf: errorFile, encoding: .utf8)
        )
    }
}
