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

    /// A started program. Standard output and standard error go to files rather than pipes,
    /// so that a long output cannot fill a pipe buffer and stall the program while the
    /// test waits.
    final class Running {
        let process = Process()
        private let folder: URL
        private let outputFile: URL
        private let errorFile: URL

        fileprivate init(_ arguments: [String], config: PostgresConfig, stdin: String?) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadrelay-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            outputFile = folder.appendingPathComponent("stdout")
            errorFile = folder.appendingPathComponent("stderr")
            try Data().write(to: outputFile)
            try Data().write(to: errorFile)
            process.executableURL = TestDatabase.leadrelayProgram
            process.arguments = arguments
            process.currentDirectoryURL = TestDatabase.repositoryRoot
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = config.conninfo
            process.environment = environment
            if let stdin {
                let inputFile = folder.appendingPathComponent("stdin")
                try Data(stdin.utf8).write(to: inputFile)
                process.standardInput = try FileHandle(forReadingFrom: inputFile)
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            process.standardOutput = try FileHandle(forWritingTo: outputFile)
            process.standardError = try FileHandle(forWritingTo: errorFile)
            try process.run()
        }

        deinit {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: folder)
        }

        /// What the program has written so far.
        var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
        var errors: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

        func waitUntilExit() -> Result {
            process.waitUntilExit()
            return Result(status: process.terminationStatus, output: output, errors: errors)
        }
    }

    static func start(_ arguments: [String], config: PostgresConfig, stdin: String? = nil) throws -> Running {
        try Running(arguments, config: config, stdin: stdin)
    }

    static func run(_ arguments: [String], config: PostgresConfig, stdin: String? = nil) throws -> Result {
        try start(arguments, config: config, stdin: stdin).waitUntilExit()
    }
}
