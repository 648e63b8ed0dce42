import AccessRiskModel
import Testing

@testable import AccessRiskImport

@Suite("The import's scope table")
struct ScopeTableTests {
    private func scope(_ sink: ImportSink, _ text: String) -> Scope {
        var text = text
        return text.withUTF8 { sink.scope(bytes: $0) }
    }

    private func resource(_ k: Int) -> String {
        "/subscriptions/56e2a0da-4d34-4963-bcb2-7f56777e13da/resourceGroups/RG-\(k % 7)/providers/Microsoft.Web/sites/app-\(k)"
    }

    @Test("scopes that repeat are one value each, however many rows come")
    func repeatingScopesAreShared() {
        let sink = ImportSink(options: ImportOptions())
        let first = (0..<8).map { scope(sink, resource($0)) }
        for k in 0..<(ImportSink.scopeTrialLookups + 1_000) {
            let s = scope(sink, resource(k % 8))
            #expect(s.identity == first[k % 8].identity)
        }
    }

    @Test("scopes that hardly repeat are made on their own after the trial, and stay right")
    func distinctScopesGiveTheTableUp() {
        let sink = ImportSink(options: ImportOptions())
        let count = ImportSink.scopeTrialLookups + 1_000
        for k in 0..<count {
            let s = scope(sink, resource(k))
            #expect(s == Scope(resource(k)))
            #expect(s.original == resource(k))
            #expect(s.key == resource(k).lowercased())
        }
        // Given up: a scope seen again is equal to the first value, and a new value.
        let again = scope(sink, resource(count - 1))
        let other = scope(sink, resource(count - 1))
        #expect(again == other)
        #expect(again.identity != other.identity)
        #expect(sink.scopes.count == 0)
        // Before the trial ended, a repeated scope was still shared.
        let early = ImportSink(options: ImportOptions())
        #expect(scope(early, resource(1)).identity == scope(early, resource(1)).identity)
    }
}
