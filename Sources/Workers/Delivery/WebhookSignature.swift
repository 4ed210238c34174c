import Crypto
public import Foundation

/// The signature on every webhook LeadRelay sends, in the header `LeadRelay-Signature`:
///
///     LeadRelay-Signature: t=1763900000,v1=5f0e35d41937fd80f30387312d71a61a3cff628cec19b5effc34950dfd8d1fcb
///
/// (that is the body `{"a":1}` signed with the secret `Jefe`)
///
/// `v1` is the lowercase hex HMAC-SHA256, keyed with the endpoint's secret, of the
/// signing time `t` (Unix seconds), a full stop, and the exact body bytes. A receiver
/// recomputes it over the raw body, compares in constant time, and rejects a `t` too far
/// from its own clock, so a captured request cannot be replayed later. Retries are signed
/// anew with their own time; the body, and so `LeadRelay-Delivery`, stays the same.
public struct WebhookSignature: Sendable, Equatable {
    public static let header = "LeadRelay-Signature"

    public let timestamp: Int64
    public let hex: String

    public init(body: some DataProtocol, secret: String, timestamp: Int64) {
        var message = Data("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        self.timestamp = timestamp
        self.hex = code.map { String(format: "%02x", $0) }.joined()
    }

    /// The header's value.
    public var headerValue: String { "t=\(timestamp),v1=\(hex)" }

    /// Whether `headerValue` signs `body` with `secret` within `tolerance` seconds of
    /// `now`, as a receiver checks it.
    public static func verify(headerValue: String, body: some DataProtocol, secret: String, now: Int64, tolerance: Int64 = 300) -> Bool {
        var timestamp: Int64?
        var signatures: [String] = []
        for part in headerValue.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now - timestamp) <= tolerance else { return false }
        let expected = Array(WebhookSignature(body: body, secret: secret, timestamp: timestamp).hex.utf8)
        return signatures.contains { candidate in
            let bytes = Array(candidate.utf8)
            guard bytes.count == expected.count else { return false }
            return zip(bytes, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}
