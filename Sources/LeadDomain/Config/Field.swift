import Foundation

/// A node with its place in the file, and typed readers that report problems instead of
/// throwing, so that reading goes on and every problem is collected.
///
/// Every reader returns nil after reporting; callers treat nil as "already reported".
struct Field {
    let node: ConfigNode
    let path: FieldPath
    let diagnostics: Diagnostics

    func report(_ code: RuleSetError.Code, _ message: String) {
        diagnostics.report(code, at: path, line: node.line, message)
    }

    func child(_ key: String, _ node: ConfigNode) -> Field {
        Field(node: node, path: path.appending(key), diagnostics: diagnostics)
    }

    // MARK: Scalars

    /// Text; numbers and booleans are accepted as their literal text (a version `3` is "3").
    func string(nonEmpty: Bool = true) -> String? {
        guard case .scalar(let text, let kind) = node.value, kind != .null else {
            report(.wrongType, "expected text, found \(node.kindName)")
            return nil
        }
        if nonEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty {
            report(.empty, "must not be empty")
            return nil
        }
        return text
    }

    func int(in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let text, .integer) = node.value, let value = Int(text) else {
            report(.wrongType, "expected an integer, found \(node.kindName)")
            return nil
        }
        guard range.contains(value) else {
            report(.outOfRange, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return value
    }

    func int64(in range: ClosedRange<Int64>) -> Int64? {
        guard case .scalar(let text, .integer) = node.value, let value = Int64(text) else {
            report(.wrongType, "expected an integer, found \(node.kindName)")
            return nil
        }
        guard range.contains(value) else {
            report(.outOfRange, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return value
    }

    /// A number that must be strictly positive and at most `maximum`.
    func positiveNumber(maximum: Double) -> Double? {
        guard case .scalar(let text, let kind) = node.value, kind == .integer || kind == .number,
              let value = Double(text), value.isFinite else {
            report(.wrongType, "expected a number, found \(node.kindName)")
            return nil
        }
        guard value > 0, value <= maximum else {
            report(.outOfRange, "must be greater than 0 and at most \(Int(maximum))")
            return nil
        }
        return value
    }

    func bool() -> Bool? {
        guard case .scalar(let text, .boolean) = node.value else {
            report(.wrongType, "expected true or false, found \(node.kindName)")
            return nil
        }
        return text.lowercased() == "true"
    }

    /// One of a fixed set of words.
    func choice<T>(_ choices: [(String, T)]) -> T? {
        guard let text = string() else { return nil }
        if let match = choices.first(where: { $0.0 == text }) { return match.1 }
        report(.invalidValue, "must be one of: " + choices.map(\.0).joined(separator: ", "))
        return nil
    }

    // MARK: Collections

    /// A list whose items are read one by one; bad items are reported and left out.
    func list<T>(allowEmpty: Bool = true, _ read: (Field) -> T?) -> [T]? {
        guard case .sequence(let items) = node.value else {
            report(.wrongType, "expected a list, found \(node.kindName)")
            return nil
        }
        if !allowEmpty && items.isEmpty {
            report(.empty, "must not be empty")
            return nil
        }
        var result: [T] = []
        for (index, item) in items.enumerated() {
            let field = Field(node: item, path: path.appending(index: index), diagnostics: diagnostics)
            if let value = read(field) { result.append(value) }
        }
        return result
    }

    func stringList(allowEmpty: Bool = true) -> [String]? {
        list(allowEmpty: allowEmpty) { $0.string() }
    }

    /// A mapping whose keys are data (ids), such as `behaviour:` or `calendars:`.
    func keyedMap<T>(allowEmpty: Bool = true, _ read: (String, Field) -> T?) -> [(key: String, value: T)]? {
        guard case .mapping(let pairs) = node.value else {
            report(.wrongType, "expected a mapping, found \(node.kindName)")
            return nil
        }
        if !allowEmpty && pairs.isEmpty {
            report(.empty, "must not be empty")
            return nil
        }
        var result: [(key: String, value: T)] = []
        for pair in pairs {
            if let value = read(pair.key, child(pair.key, pair.value)) { result.append((pair.key, value)) }
        }
        return result
    }

    /// A mapping with a fixed set of keys. `build` reads the keys it knows through the
    /// `ObjectReader`; any key it did not ask for is then reported as unknown.
    func object<T>(_ build: (inout ObjectReader) -> T?) -> T? {
        guard case .mapping(let pairs) = node.value else {
            report(.wrongType, "expected a mapping, found \(node.kindName)")
            return nil
        }
        var reader = ObjectReader(field: self, pairs: pairs)
        let value = build(&reader)
        reader.reportUnknownKeys()
        return value
    }
}

/// Reads the known keys of one mapping and remembers which keys were asked for.
struct ObjectReader {
    let field: Field
    fileprivate let pairs: [(key: String, value: ConfigNode)]
    private var known: Set<String> = []

    fileprivate init(field: Field, pairs: [(key: String, value: ConfigNode)]) {
        self.field = field
        self.pairs = pairs
    }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// A key that must be present; reports it when missing.
    mutating func required<T>(_ key: String, _ read: (Field) -> T?) -> T? {
        known.insert(key)
        guard let node = pairs.first(where: { $0.key == key })?.value else {
            field.report(.missingKey, "missing required key '\(key)'")
            return nil
        }
        return read(field.child(key, node))
    }

    /// A key that may be absent (or null); nil when absent or invalid (invalid is reported).
    mutating func optional<T>(_ key: String, _ read: (Field) -> T?) -> T? {
        known.insert(key)
        guard let node = pairs.first(where: { $0.key == key })?.value else { return nil }
        if case .scalar(_, .null) = node.value { return nil }
        return read(field.child(key, node))
    }

    fileprivate func reportUnknownKeys() {
        for pair in pairs where !known.contains(pair.key) {
            field.diagnostics.report(
                .unknownKey, at: field.path.appending(pair.key), line: pair.value.line,
                "unknown key (allowed here: \(known.sorted().joined(separator: ", ")))")
        }
    }
}

extension Field {
    /// Reports a problem about the value under `key` of this mapping (used by checks that
    /// run after reading, such as references between sections).
    func report(at key: String, _ code: RuleSetError.Code, _ message: String) {
        var line = node.line
        if case .mapping(let pairs) = node.value, let child = pairs.first(where: { $0.key == key }) {
            line = child.value.line ?? line
        }
        diagnostics.report(code, at: path.appending(key), line: line, message)
    }
}

extension Field {
    /// The keys of the mapping under `key`, as written (for reference checks).
    func keys(of key: String) -> [String] {
        guard case .mapping(let pairs) = node.value, let child = pairs.first(where: { $0.key == key })?.value,
              case .mapping(let entries) = child.value else { return [] }
        return entries.map(\.key)
    }

    /// The `id` of every item of the list under `key`, as written (for reference checks).
    func ids(of key: String) -> [String] {
        guard case .mapping(let pairs) = node.value, let child = pairs.first(where: { $0.key == key })?.value,
              case .sequence(let items) = child.value else { return [] }
        return items.compactMap { item in
            guard case .mapping(let fields) = item.value, let id = fields.first(where: { $0.key == "id" })?.value,
                  case .scalar(let text, _) = id.value else { return nil }
            return text
        }
    }
}
