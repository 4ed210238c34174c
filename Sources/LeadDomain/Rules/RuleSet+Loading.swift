public import Foundation
internal import Yams

extension RuleSet {
    /// Reads and validates a YAML rule file. The caller reads the file; `file` only names
    /// it in errors.
    ///
    /// - Throws: `RuleSetValidationError` with every problem found (syntax, unknown keys,
    ///   wrong types, values out of range, broken references), each with its path.
    public static func load(yaml: String, file: String) throws(RuleSetValidationError) -> RuleSet {
        let diagnostics = Diagnostics(file: file)
        let root: ConfigNode
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw RuleSetValidationError(file: file, errors: [
                    RuleSetError(code: .empty, file: file, path: "", message: "the file is empty"),
                ])
            }
            root = ConfigNode.fromYAML(node) { key, line in
                diagnostics.report(.duplicateKey, at: .root.appending(key), line: line, "key appears more than once in the same mapping")
            }
        } catch let error as RuleSetValidationError {
            throw error
        } catch {
            throw RuleSetValidationError(file: file, errors: [syntaxError(error, file: file)])
        }
        return try read(root, diagnostics: diagnostics)
    }

    /// Reads and validates a rule set stored as JSON (as written by `encodeJSON()`).
    public init(json: Data, file: String = "rule set JSON") throws(RuleSetValidationError) {
        let root: ConfigNode
        do {
            root = try JSONDecoder().decode(ConfigNode.self, from: json)
        } catch {
            throw RuleSetValidationError(file: file, errors: [
                RuleSetError(code: .syntax, file: file, path: "", message: "not valid JSON"),
            ])
        }
        self = try Self.read(root, diagnostics: Diagnostics(file: file))
    }

    /// The canonical JSON form: sorted keys, every value explicit. `RuleSet(json:)` reads it
    /// back to an equal rule set, and encoding that again gives the same bytes.
    public func encodeJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of strings, numbers and booleans cannot fail.
        return (try? encoder.encode(configNode)) ?? Data()
    }

    private static func read(_ root: ConfigNode, diagnostics: Diagnostics) throws(RuleSetValidationError) -> RuleSet {
        let rules = RuleSet.read(Field(node: root, path: .root, diagnostics: diagnostics))
        if let rules, diagnostics.errors.isEmpty { return rules }
        let errors = diagnostics.errors.enumerated().sorted { a, b in
            switch (a.element.line, b.element.line) {
            case let (x?, y?) where x != y: x < y
            default: a.offset < b.offset
            }
        }.map(\.element)
        throw RuleSetValidationError(file: diagnostics.file, errors: errors.isEmpty ? [
            RuleSetError(code: .invalidValue, file: diagnostics.file, path: "", message: "the rule set is incomplete"),
        ] : errors)
    }

    /// Yams errors quote the offending text; keep only the position and the parser's problem.
    private static func syntaxError(_ error: any Error, file: String) -> RuleSetError {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return RuleSetError(code: .syntax, file: file, path: "", line: mark.line, message: "YAML syntax: \(problem)")
            case .duplicatedKeysInMapping(_, let context):
                return RuleSetError(code: .duplicateKey, file: file, path: "", line: context.mark.line,
                                    message: "a key appears more than once in the same mapping")
            default: break
            }
        }
        return RuleSetError(code: .syntax, file: file, path: "", message: "not valid YAML")
    }
}
