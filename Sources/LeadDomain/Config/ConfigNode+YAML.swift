internal import Yams

extension ConfigNode {
    /// Converts a composed YAML tree. Plain scalars are typed by their text (YAML 1.2 core
    /// rules: only `true`/`false` are booleans, so a country code such as `NO` stays text);
    /// quoted scalars are always text.
    static func fromYAML(_ node: Node, duplicateKey: (_ key: String, _ line: Int?) -> Void) -> ConfigNode {
        switch node {
        case .scalar(let scalar):
            return ConfigNode(.scalar(scalar.string, kind(of: scalar)), line: scalar.mark.map { $0.line })
        case .sequence(let sequence):
            let items = sequence.map { fromYAML($0, duplicateKey: duplicateKey) }
            return ConfigNode(.sequence(items), line: sequence.mark.map { $0.line })
        case .mapping(let mapping):
            var pairs: [(key: String, value: ConfigNode)] = []
            var seen = Set<String>()
            for (keyNode, valueNode) in mapping {
                let key = keyNode.scalar?.string ?? ""
                if !seen.insert(key).inserted {
                    duplicateKey(key, keyNode.mark.map { $0.line })
                    continue
                }
                pairs.append((key, fromYAML(valueNode, duplicateKey: duplicateKey)))
            }
            return ConfigNode(.mapping(pairs), line: mapping.mark.map { $0.line })
        case .alias(let alias):
            return ConfigNode(.scalar("", .null), line: alias.mark.map { $0.line })
        }
    }

    private static func kind(of scalar: Node.Scalar) -> ScalarKind {
        guard scalar.style == .plain || scalar.style == .any else { return .string }
        let text = scalar.string
        switch text {
        case "true", "True", "TRUE", "false", "False", "FALSE": return .boolean
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        if Int64(text) != nil { return .integer }
        if Double(text) != nil, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }) {
            return .number
        }
        return .string
    }
}
