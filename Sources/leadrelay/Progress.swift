import Foundation

/// Progress of a long command on standard error: a bar with rows/s redrawn in place on a
/// terminal, or one plain line every few seconds elsewhere (logs, CI, pipes).
final class Progress {
    private let label: String
    private let total: Int?
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let started = ContinuousClock.now
    private var lastDraw = ContinuousClock.now
    private let interval: Duration

    /// `total` is in the same unit as `update(done:)` (rows or bytes); nil when unknown.
    init(label: String, total: Int?) {
        self.label = label
        self.total = total
        self.interval = isTerminal ? .milliseconds(100) : .seconds(5)
    }

    /// `done` and `fraction` may differ: rows for the rate, bytes read for the bar.
    func update(rows: Int, fraction: Double?, force: Bool = false) {
        let now = ContinuousClock.now
        guard force || now - lastDraw >= interval else { return }
        lastDraw = now
        let elapsed = max((now - started).seconds, 0.001)
        let rate = Double(rows) / elapsed
        var line = "\(label): \(Self.grouped(rows)) rows, \(Self.grouped(Int(rate))) rows/s"
        if let fraction {
            let clamped = min(max(fraction, 0), 1)
            if isTerminal {
                let width = 30
                let filled = Int(clamped * Double(width))
                line = "\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
                    + "\(Int(clamped * 100))%  \(Self.grouped(rows)) rows  \(Self.grouped(Int(rate))) rows/s"
            } else {
                line += " (\(Int(clamped * 100))%)"
            }
        }
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
