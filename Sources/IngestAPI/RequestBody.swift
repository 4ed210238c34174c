import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// The whole body, or 413 once it passes `limit` bytes, so that no route reads an
    /// unbounded body into memory.
    mutating func collectBody(limit: Int) async throws -> Data {
        do {
            return Data(try await collectBody(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge("the body is larger than \(limit) bytes")
        }
    }
}
