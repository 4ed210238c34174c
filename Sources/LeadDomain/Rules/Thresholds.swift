/// Where a score turns a lead into an MQL, and where the fit × interest quadrants are cut.
public struct Thresholds: Sendable, Hashable {
    /// Fit + interest at or above this makes a lead an MQL. Allowed: 1…1000.
    public var mql: Int
    /// Fit at or above this is "high fit". Allowed: -1000…1000.
    public var fitCutoff: Int
    /// Interest at or above this is "high interest". Allowed: -1000…1000.
    public var interestCutoff: Int

    public init(mql: Int, fitCutoff: Int, interestCutoff: Int) {
        self.mql = mql
        self.fitCutoff = fitCutoff
        self.interestCutoff = interestCutoff
    }
}

extension Thresholds {
    static let mqlRange = 1...1000
    static let cutoffRange = -1000...1000

    static func read(_ field: Field) -> Thresholds? {
        field.object { reader in
            let mql = reader.required("mql") { $0.int(in: mqlRange) }
            let fit = reader.required("fit_cutoff") { $0.int(in: cutoffRange) }
            let interest = reader.required("interest_cutoff") { $0.int(in: cutoffRange) }
            guard let mql, let fit, let interest else { return nil }
            return Thresholds(mql: mql, fitCutoff: fit, interestCutoff: interest)
        }
    }

    var configNode: ConfigNode {
        .mapping([("mql", .integer(mql)), ("fit_cutoff", .integer(fitCutoff)), ("interest_cutoff", .integer(interestCutoff))])
    }
}
