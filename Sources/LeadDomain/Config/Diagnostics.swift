/// Collects every problem found while reading one rule file.
///
/// A reference type because many nested readers append to the same list; it never leaves
/// the loading call, so it needs no Sendable conformance.
final class Diagnostics {
    let file: String
    private(set) var errors: [RuleSetError] = []

    init(file: String) { self.file = file }

    func report(_ code: RuleSetError.Code, at path: FieldPath, line: Int?, _ message: String) {
        errors.append(RuleSetError(code: code, file: file, path: path.description, line: line, message: message))
    }
}

/// A path inside a rule file, printed as `teams[0].members[1].rep`.
struct FieldPath: CustomStringConvertible, Sendable {
    private var text: String

    static let root = FieldPath(text: "")

    func appending(_ key: String) -> FieldPath {
        FieldPath(text: text.isEmpty ? key : text + "." + key)
    }

    func appending(index: Int) -> FieldPath {
        FieldPath(text: text + "[\(index)]")
    }

    var description: String { text }
}
