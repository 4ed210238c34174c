/// Thrown when input cannot be turned into a record at all, carrying every problem found.
///
/// Decoding collects all problems of a JSON object (each unknown key, each value of the wrong
/// type) before it throws, so a client fixes its payload in one round trip.
public struct IntakeRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [IntakeProblem]

    public init(_ problems: [IntakeProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "; ")
    }
}
