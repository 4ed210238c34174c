import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why a webhook attempt failed. The description names the status or the kind of
/// transport failure, never the URL (webhook URLs often carry tokens) or the secret.
public struct WebhookError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status, when the receiver answered.
    public let statusCode: Int?
    public let description: String
}

/// POSTs a signed JSON body. One `URLSession` per process, since it pools connections
/// to the receivers.
final class WebhookSender: Sendable {
    private let session: URLSession

    init(timeout: Duration) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Double(timeout.components.seconds)
        configuration.httpAdditionalHeaders = ["User-Agent": "LeadRelay-Webhook/1"]
        session = URLSession(configuration: configuration)
    }

    /// Returns the 2xx status; throws `WebhookError` on anything else.
    func post(_ body: String, to url: String, headers: [String: String]) async throws -> Int {
        guard let target = URL(string: url) else { throw WebhookError(statusCode: nil, description: "the endpoint URL is not valid") }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let response: URLResponse
        do {
            (_, response) = try await session.data(for: request)
        } catch let error as URLError {
            throw WebhookError(statusCode: nil, description: "no answer from the endpoint (URLError \(error.code.rawValue))")
        }
        guard let status = (response as? HTTPURLResponse)?.statusCode else {
            throw WebhookError(statusCode: nil, description: "the endpoint gave no HTTP answer")
        }
        guard (200..<300).contains(status) else { throw WebhookError(statusCode: status, description: "the endpoint answered HTTP \(status)") }
        return status
    }
}
