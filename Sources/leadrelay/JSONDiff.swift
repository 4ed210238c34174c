/// A readable, path-based difference between two JSON documents, for `leadrelay rules diff`.
///
/// Objects are compared key by key in sorted order. Arrays of objects that all carry a
/// unique "id" are matched by id, so that inserting a persona does not show every later
/// persona as changed; their order is compared on its own, since it can matter (routing
/// rules: the first match wins). Arrays of plain values (domain lists, holidays) are
/// compared as collections: what was added, what was removed, and whether the order
/// changed. Other arrays are compared position by position.
enum JSONDiff {
    enum Change: Equatable {
        case added(path: String, value: JSONNode)
        case removed(path: String, value: JSONNode)
        case changed(path: String, from: JSONNode, to: JSONNode)
        case reordered(path: String, from: [String], to: [String])

        /// `~ thresholds.mql: 60 → 70`, `+ behaviour.pricing_page_view: {…}`, `- personas[cdo]: {…}`.
        var line: String {
            switch self {
            case let .added(path, value): "+ \(path): \(value.compact)"
            case let .removed(path, value): "- \(path): \(value.compact)"
            case let .changed(path, from, to): "~ \(path): \(from.compact) → \(to.compact)"
            case let .reordered(path, from, to):
                "~ \(path): order [\(from.joined(separator: ", "))] → [\(to.joined(separator: ", "))]"
            }
        }
    }

    static func changes(from old: JSONNode, to new: JSONNode) -> [Change] {
        var changes: [Change] = []
        compare(old, new, at: "", into: &changes)
        return changes
    }

    private static func compare(_ old: JSONNode, _ new: JSONNode, at path: String, into changes: inout [Change]) {
        switch (old, new) {
        case let (.object(a), .object(b)):
            let oldValues = Dictionary(a.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            let newValues = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            for key in Set(oldValues.keys).union(newValues.keys).sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                switch (oldValues[key], newValues[key]) {
                case let (x?, y?): compare(x, y, at: child, into: &changes)
                case let (x?, nil): changes.append(.removed(path: child, value: x))
                case let (nil, y?): changes.append(.added(path: child, value: y))
                case (nil, nil): break
                }
            }
        case let (.array(a), .array(b)):
            if let oldIDs = ids(a), let newIDs = ids(b) {
                compareByID(a, oldIDs, b, newIDs, at: path, into: &changes)
            } else if a.allSatisfy(\.isPlain), b.allSatisfy(\.isPlain) {
                compareAsCollection(a, b, at: path, into: &changes)
            } else {
                for index in 0..<max(a.count, b.count) {
                    let child = "\(path)[\(index)]"
                    if index >= b.count {
                        changes.append(.removed(path: child, value: a[index]))
                    } else if index >= a.count {
                        changes.append(.added(path: child, value: b[index]))
                    } else {
                        compare(a[index], b[index], at: child, into: &changes)
                    }
                }
            }
        default:
            if old != new { changes.append(.changed(path: path, from: old, to: new)) }
        }
    }

    /// The "id" of every element, or nil unless every element is an object with a plain,
    /// unique id.
    private static func ids(_ items: [JSONNode]) -> [String]? {
        var ids: [String] = []
        for item in items {
            switch item["id"] {
            case .string(let id)?, .number(let id)?: ids.append(id)
            default: return nil
            }
        }
        return Set(ids).count == ids.count ? ids : nil
    }

    private static func compareByID(_ a: [JSONNode], _ oldIDs: [String], _ b: [JSONNode], _ newIDs: [String],
                                    at path: String, into changes: inout [Change]) {
        let newByID = Dictionary(uniqueKeysWithValues: zip(newIDs, b))
        let oldSet = Set(oldIDs)
        for (id, item) in zip(oldIDs, a) {
            if let counterpart = newByID[id] {
                compare(item, counterpart, at: "\(path)[\(id)]", into: &changes)
            } else {
                changes.append(.removed(path: "\(path)[\(id)]", value: item))
            }
        }
        for (id, item) in zip(newIDs, b) where !oldSet.contains(id) {
            changes.append(.added(path: "\(path)[\(id)]", value: item))
        }
        let kept = oldIDs.filter { newByID[$0] != nil }
        let keptInNewOrder = newIDs.filter { oldSet.contains($0) }
        if kept != keptInNewOrder { changes.append(.reordered(path: path, from: kept, to: keptInNewOrder)) }
    }

    private static func compareAsCollection(_ a: [JSONNode], _ b: [JSONNode], at path: String, into changes: inout [Change]) {
        var unmatched = Dictionary(b.map { ($0.compact, 1) }, uniquingKeysWith: +)
        var kept: [String] = []
        for item in a {
            if let count = unmatched[item.compact], count > 0 {
                unmatched[item.compact] = count - 1
                kept.append(item.compact)
            } else {
                changes.append(.removed(path: path, value: item))
            }
        }
        var unclaimed = Dictionary(kept.map { ($0, 1) }, uniquingKeysWith: +)
        var keptInNewOrder: [String] = []
        for item in b {
            if let count = unclaimed[item.compact], count > 0 {
                unclaimed[item.compact] = count - 1
                keptInNewOrder.append(item.compact)
            } else {
                changes.append(.added(path: path, value: item))
            }
        }
        if kept != keptInNewOrder { changes.append(.reordered(path: path, from: kept, to: keptInNewOrder)) }
    }
}

private extension JSONNode {
    var isPlain: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}
