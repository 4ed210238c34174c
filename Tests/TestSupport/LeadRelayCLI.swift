public import Foundation
public import Postgres

/// Runs the built `leadrelay` program against a test database, from the repository root.
public enum LeadRelayCLI {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let errors: String
    }

    /// A started program. Standard output and standard error go to files rather than pipes,
    /// so that a long output cannot fill a pipe buffer and stall the program while the
    /// test waits.
    public final class Running {
        public let process = Process()
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
        public var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
        public var errors: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

        public func waitUntilExit() -> Result {
            process.waitUntilExit()
            return Result(status: process.terminationStatus, output: output, errors: errors)
        }
    }

    public static func start(_ arguments: [String], config: PostgresConfig, stdin: String? = nil) throws -> Running {
        try Running(arguments, config: config, stdin: stdin)
    }

    public static func run(_ arguments: [String], config: PostgresConfig, stdin: String? = nil) throws -> Result {
        try start(arguments, config: config, stdin: stdin).waitUntilExit()
    }
}
