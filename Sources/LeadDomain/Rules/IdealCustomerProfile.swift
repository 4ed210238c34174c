/// The companies that fit, each attribute value with its points.
///
/// Industry and region keys are normalized identifiers (`financial_services`), countries
/// are ISO codes (`DE`). Country points take precedence over region points, so a company
/// is not counted twice for where it is.
public struct IdealCustomerProfile: Sendable, Hashable {
    public var industries: [String: Int]
    public var employeeBands: [Band]
    public var revenueBands: [Band]
    public var countries: [String: Int]
    public var regions: [String: Int]

    public init(industries: [String: Int] = [:], employeeBands: [Band] = [], revenueBands: [Band] = [],
                countries: [String: Int] = [:], regions: [String: Int] = [:]) {
        self.industries = industries
        self.employeeBands = employeeBands
        self.revenueBands = revenueBands
        self.countries = countries
        self.regions = regions
    }

    /// A closed range of a company size (employees, or annual revenue in whole currency
    /// units) with its points. `label` names the band, and doubles as the company segment
    /// for employee bands (e.g. `enterprise`).
    public struct Band: Sendable, Hashable {
        public var label: String
        public var min: Int64
        /// Inclusive; nil means no upper bound.
        public var max: Int64?
        public var points: Int

        public init(label: String, min: Int64, max: Int64?, points: Int) {
            self.label = label
            self.min = min
            self.max = max
            self.points = points
        }

        public func contains(_ value: Int64) -> Bool {
            value >= min && (max.map { value <= $0 } ?? true)
        }
    }
}
