/// A benchmark's failure to start, said in one line (an option it cannot use, say).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A benchmark's `--flag value` options, each checked: an unknown flag, a flag without a
/// value or a value of the wrong kind is an error that names it, never a silent default.
struct BenchOptions {
    private var values: [String: String] = [:]

    init(_ arguments: [String], known: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard known.contains(flag) else { throw BenchError("unknown option \(flag); the options are \(known.joined(separator: ", "))") }
            guard let value = rest.popFirst() else { throw BenchError("\(flag) needs a value") }
            values[flag] = value
        }
    }

    func text(_ flag: String, default fallback: String) -> String {
        values[flag] ?? fallback
    }

    /// A whole number of at least `minimum` ("1_000_000" is read too).
    func count(_ flag: String, default fallback: Int, minimum: Int = 1) throws -> Int {
        guard let text = values[flag] else { return fallback }
        guard let number = Int(text.filter { $0 != "_" }), number >= minimum else {
            throw BenchError("\(flag) needs a whole number of at least \(minimum), not '\(text)'")
        }
        return number
    }

    /// A number of seconds above zero.
    func seconds(_ flag: String, default fallback: Double) throws -> Double {
        guard let text = values[flag] else { return fallback }
        guard let number = Double(text), number > 0 else { throw BenchError("\(flag) needs a number of seconds above 0, not '\(text)'") }
        return number
    }
}
