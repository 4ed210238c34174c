public import Foundation

/// One thing a lead did.
public struct Activity: Sendable, Hashable {
    public var type: ActivityType
    /// The page, for page views.
    public var url: String?
    /// The asset name, for downloads, webinars and forms.
    public var content: String?
    public var occurredAt: Date

    public init(type: ActivityType, url: String? = nil, content: String? = nil, occurredAt: Date) {
        self.type = type
        self.url = url
        self.content = content
        self.occurredAt = occurredAt
    }
}
