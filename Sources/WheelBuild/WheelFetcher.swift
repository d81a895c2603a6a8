import PurewheelBasics
import WheelModel

/// The one seam through which upstream wheels arrive from an index.
///
/// Production uses `PipFetcher`, so the user's pip configuration (index URL, proxies, credentials) applies; tests use a stub.
public protocol WheelFetcher: Sendable {
    /// Makes `wheel` of `distribution` available as a local file and returns its path. `expected` is the pin:
    /// a cached copy that does not match it is fetched again. The caller still checks the pin on what it gets.
    ///
    /// - Throws: `FetchError`.
    func fetch(distribution: String, version: String, wheel: WheelFilename, expected: SHA256Digest) throws(FetchError) -> String
}
