import PurewheelTestSupport
import RecipeFormat
import Testing
import UpstreamIndex

/// How `pending` decides for an upstream version whose repack may have been revised: a published `V` or `V.postM` covers
/// upstream `V` up to the recipe's revision; an older one leaves it pending, a newer one is listed apart.
@Suite struct PendingRevisionTests {
    static func recipe(revision: Int?) throws -> Recipe {
        let text = RecipeFiles.minimalDemoRecipe() + (revision.map { "[versions.\"1.0\"]\nrevision = \($0)\n" } ?? "")
        return try RecipeLoader.parse(text, path: "r/demo.toml", fileExists: { _ in true })
    }

    /// What `pending` says of upstream 1.0.
    enum Decision: Equatable, Sendable, CustomStringConvertible {
        /// Pending: the output to publish, and the older revision already published.
        case pending(output: String, published: String?)
        /// Published at the recipe's revision: nothing to do.
        case covered
        /// Listed apart, with the reason.
        case apart(String)

        var description: String {
            switch self {
            case .pending(let output, let published): "pending \(output) over \(published ?? "nothing")"
            case .covered: "covered"
            case .apart(let reason): "apart: \(reason)"
            }
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let published: [String]
        let revision: Int?
        let decision: Decision
        var testDescription: String { "published \(published) against revision \(revision.map(String.init) ?? "none")" }
    }

    static func newer(_ published: String, _ output: String) -> Decision {
        .apart("\(published) is published, a newer revision than the recipe's \(output): a revision only goes up")
    }

    static let table: [Case] = [
        Case(published: [], revision: nil, decision: .pending(output: "1.0", published: nil)),
        Case(published: [], revision: 1, decision: .pending(output: "1.0.post1", published: nil)),
        Case(published: [], revision: 2, decision: .pending(output: "1.0.post2", published: nil)),
        Case(published: ["1.0"], revision: nil, decision: .covered),
        Case(published: ["1.0"], revision: 1, decision: .pending(output: "1.0.post1", published: "1.0")),
        Case(published: ["1.0"], revision: 2, decision: .pending(output: "1.0.post2", published: "1.0")),
        Case(published: ["1.0.post1"], revision: nil, decision: newer("1.0.post1", "1.0")),
        Case(published: ["1.0.post1"], revision: 1, decision: .covered),
        Case(published: ["1.0.post1"], revision: 2, decision: .pending(output: "1.0.post2", published: "1.0.post1")),
        Case(published: ["1.0.post2"], revision: nil, decision: newer("1.0.post2", "1.0")),
        Case(published: ["1.0.post2"], revision: 1, decision: newer("1.0.post2", "1.0.post1")),
        Case(published: ["1.0.post2"], revision: 2, decision: .covered),
        // The newest published revision counts, whatever else is there; spellings compare by PEP 440.
        Case(published: ["1.0", "1.0.post1"], revision: 2, decision: .pending(output: "1.0.post2", published: "1.0.post1")),
        Case(published: ["1.0.0.POST1", "1.0"], revision: 1, decision: .covered),
        // Other versions' revisions do not count.
        Case(published: ["1.1.post2", "0.9"], revision: 1, decision: .pending(output: "1.0.post1", published: nil)),
    ]

    static func decision(_ report: PendingReport, of version: String) -> Decision {
        if let pending = report.versions.first(where: { $0.version == version }) {
            return .pending(output: pending.output, published: pending.published)
        }
        if let apart = report.unbuildable.first(where: { $0.version == version }) { return .apart(apart.reason) }
        return .covered
    }

    @Test(arguments: table)
    func decides(_ testCase: Case) throws {
        let report = PendingReport(recipe: try Self.recipe(revision: testCase.revision), upstream: ["1.0"], published: testCase.published)
        #expect(Self.decision(report, of: "1.0") == testCase.decision)
    }

    /// An upstream `V.postM` is a release of its own, not a revision of `V`.
    @Test func anUpstreamPostReleaseIsNotARevision() throws {
        let upstream = ["1.0", "1.0.post1"]
        let plain = PendingReport(recipe: try Self.recipe(revision: nil), upstream: upstream, published: ["1.0.post1"])
        #expect(Self.decision(plain, of: "1.0") == .pending(output: "1.0", published: nil))
        #expect(Self.decision(plain, of: "1.0.post1") == .covered)
        let revised = PendingReport(recipe: try Self.recipe(revision: 1), upstream: upstream, published: [])
        #expect(Self.decision(revised, of: "1.0") == .apart("its revision's output 1.0.post1 is also an upstream version"))
    }
}
