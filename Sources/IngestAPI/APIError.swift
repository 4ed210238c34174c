import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answer with a JSON body: `{"error": {"code": "...", "message": "..."}}`.
/// Its message never repeats a key or a record's content.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    var headers: HTTPFields { [.contentType: "application/json"] }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ["error": ["code": code, "message": message]]
        let data = try JSONEncoder().encode(body)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func unauthorized() -> APIError {
        APIError(status: .unauthorized, code: "unauthorized", message: "send an API key as 'Authorization: Bearer <key>'")
    }

    static func forbidden(_ scope: String) -> APIError {
        APIError(status: .forbidden, code: "forbidden", message: "this API key lacks the '\(scope)' scope")
    }

    static func tooLarge(_ message: String) -> APIError {
        APIError(status: .contentTooLarge, code: "too_large", message: message)
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message)
    }
}
