import Foundation
import Postgres
import Workers

/// `leadrelay-bench assignments --reps A,B,… --expect N --timeout S`: LISTENs on the
/// reps' own channels, the way a rep's client does, and prints one line per assignment,
/// `<unix time in seconds> <lead id>`, stamped the moment the NOTIFY arrives. It prints
/// `listening` on standard error once subscribed, and exits after N assignments or S
/// seconds. scripts/bench.d/e2e matches the lines to the times it sent each POST.
func runAssignmentTap(_ arguments: [String]) async throws {
    let options = try BenchOptions(arguments, known: ["--reps", "--expect", "--timeout"])
    let reps = options.text("--reps", default: "").split(separator: ",").map(String.init)
    let expected = try options.count("--expect", default: Int.max)
    let timeout = try options.seconds("--timeout", default: 600)
    guard !reps.isEmpty else { throw BenchError("--reps names at least one rep") }
    let channels = Array(Set(reps.map(HandoffChannel.rep))).sorted()
    let database = PostgresConfig.fromEnvironment(applicationName: "leadrelay-bench assignments")
    let deadline = ContinuousClock.now + .seconds(timeout)
    let wanted = Set(reps)
    try await Listener.listen(database, channels: channels) { events in
        let stop = Task {
            try? await Task.sleep(until: deadline)
            FileHandle.standardError.write(Data("assignments: timed out\n".utf8))
            exit(3)
        }
        defer { stop.cancel() }
        var seen = 0
        for await event in events {
            switch event {
            case .listening:
                FileHandle.standardError.write(Data("listening\n".utf8))
            case .notification(_, let payload):
                let arrived = Date().timeIntervalSince1970
                // Two rep ids can share a channel; each rep keeps its own entries.
                for entry in HandoffChannel.entries(in: payload) ?? [] where wanted.contains(entry.repID) {
                    FileHandle.standardOutput.write(Data(String(format: "%.6f %lld\n", arrived, entry.leadID).utf8))
                    seen += 1
                }
                if seen >= expected { return }
            case .disconnected(let reason):
                FileHandle.standardError.write(Data("assignments: listener disconnected (\(reason))\n".utf8))
            }
        }
    }
}

