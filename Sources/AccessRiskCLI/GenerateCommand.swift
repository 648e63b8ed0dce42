import AccessRiskGenerate
import AccessRiskModel
import ArgumentParser
import Foundation

extension TenantProfile: ExpressibleByArgument {}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic tenant in the real export layouts, with a known number of planted findings.",
        discussion: """
            Sizes: small ≈ 2,000 assignments; medium ≈ 100,000; large ≈ 300,000; enterprise 1,000,000 assignments,
            200,000 principals, 50,000 groups, 1,000,000 memberships, 500,000 assets. The planted findings per rule
            are written to OUT/expected-findings.json and the exports to OUT/exports/; review that folder with the same
            --as-of to reproduce them.
            """)

    @Option(help: "small, medium, large or enterprise.") var profile: TenantProfile
    @Option(help: "Seed of the pseudo-random generator (same seed, same tenant).") var seed: UInt64 = 1
    @Option(help: "The date the tenant is generated for (ISO 8601); ages are relative to it.") var asOf: String?
    @Option(help: "The folder to write into (created if missing).") var out: String

    func run() throws {
        let date: Timestamp
        if let asOf {
            guard let parsed = try? DateParsing.parse(asOf) else {
                throw ValidationError("--as-of \(asOf): not an ISO 8601 date")
            }
            date = parsed
        } else {
            date = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).startOfDay
        }
        var generator = TenantGenerator(profile: profile, seed: seed, asOf: date)
        let started = Date()
        let summary = try generator.write(to: out)
        let seconds = Date().timeIntervalSince(started)
        print(
            """
            Wrote a \(summary.profile) tenant (seed \(summary.seed), as of \(summary.asOf)) to \(out) \
            in \(String(format: "%.1f", seconds)) s:
              \(summary.assignments) assignments, \(summary.principals) principals, \(summary.groups) groups, \
            \(summary.memberships) memberships, \(summary.assets) assets
              \(summary.expectedFindings.values.reduce(0, +)) planted findings over \(summary.expectedFindings.count) \
            rules (\(out)/expected-findings.json)
            Review it with: accessrisk review \(out)/exports --as-of \(summary.asOf)
            """)
    }
}
