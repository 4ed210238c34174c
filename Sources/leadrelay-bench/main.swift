import Foundation

// Benchmark driver for scripts/bench; each benchmark lives in its own file.
let arguments = Array(CommandLine.arguments.dropFirst())
let benchmarks: [String: ([String]) async throws -> Void] = [
    "assignments": runAssignmentTap,
    "domain": runDomainBench,
    "notify-floor": runNotifyFloor,
    "queue": runQueueBench,
    "score": runScoreBench,
    "score-hash": runScoreHash,
]
guard let name = arguments.first, let benchmark = benchmarks[name] else {
    print("usage: leadrelay-bench \(benchmarks.keys.sorted().joined(separator: "|")) [options]")
    exit(2)
}
do {
    try await benchmark(Array(arguments.dropFirst()))
} catch let error as BenchError {
    FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
    exit(2)
}
