import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Postgres
import Prometheus

/// `GET /health`, `GET /metrics` (Prometheus text) and `GET /openapi.yaml`.
struct OpsRoutes: Sendable {
    let pool: ConnectionPool
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ -> Response in
            do {
                _ = try await pool.withConnection { try await $0.query("SELECT 1") }
                return Self.text("ok\n", status: .ok)
            } catch {
                return Self.text("database unavailable\n", status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
        router.get("/openapi.yaml") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes))
            )
        }
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The API description, kept in the repository as Sources/IngestAPI/openapi.yaml.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let data = try? Data(contentsOf: url)
        else { return Array("openapi document missing from the build\n".utf8) }
        return Array(data)
    }()
}
