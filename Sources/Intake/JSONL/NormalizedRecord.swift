/// A normalized lead or activity, from a mixed stream.
public enum NormalizedRecord: Sendable, Hashable {
    case lead(NormalizedLead)
    case activity(NormalizedActivity)
}
