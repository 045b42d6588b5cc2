import CanopyDiscovery
import CanopyTesting
import Testing

@Suite struct RiskScorerTests {
    let catalog = TestCatalog.small()

    @Test func scoresFactorsAndAveragesByWeight() throws {
        let scorer = RiskScorer(catalog: catalog, settings: ScoringSettings(), currentYear: 2026)
        let e = scorer.explain(appID: "dropbox")
        // general: founded 2007 → age 19 → 8 (only counted attribute; headquarters is text).
        // security: mfa true (10, high 4) + remember-password true (good false → 0, low 1) → 40/5 = 8.
        // compliance: soc2 true (10 × 4) + fedramp moderate (8 × 2) → 56/6 = 9.33.
        // legal: nothing known → no score.
        // total: (8×2 + 8×4 + 9.333×4) / (2+4+4) = 8.533.
        func group(_ g: RiskGroup) -> Double? { e.groups.first { $0.group == g }?.score }
        let compliance: Double = 56.0 / 6.0
        let expected: Double = (16.0 + 32.0 + 4.0 * compliance) / 10.0
        #expect(group(.general) == 8)
        #expect(group(.security) == 8)
        #expect(abs((group(.compliance) ?? 0) - compliance) < 1e-9)
        #expect(group(.legal) == nil)
        #expect(abs((e.score ?? 0) - expected) < 1e-9)
        #expect(e.level == .low)
        let headquarters = e.groups.flatMap(\.factors).first { $0.attribute == "headquarters" }
        #expect(headquarters?.value == "United States" && headquarters?.counted == false)
    }

    @Test func unknownValuesCanCountAgainst() {
        let scorer = RiskScorer(
            catalog: catalog,
            settings: ScoringSettings(unknownValues: .penalize),
            currentYear: 2026
        )
        let e = scorer.explain(appID: "dropbox")
        // legal: data-ownership unknown → 0; security: latest-breach unknown → 0 (medium 2).
        let legal = e.groups.first { $0.group == .legal }
        #expect(legal?.score == 0)
        #expect((e.score ?? 10) < 8.533)
        #expect(scorer.explain(appID: "microsoft").score == 0)
    }

    @Test func appsWithNothingKnownAreUnscored() {
        let scorer = RiskScorer(catalog: catalog, settings: ScoringSettings(), currentYear: 2026)
        #expect(scorer.score(appID: "microsoft") == nil)
        #expect(RiskLevel(score: nil) == .unscored)
    }

    @Test func weightsAndOverridesChangeTheScore() {
        var settings = ScoringSettings()
        settings.groupWeights[.compliance] = .ignored
        settings.attributeWeights["remember-password"] = .ignored
        let tuned = RiskScorer(catalog: catalog, settings: settings, currentYear: 2026).explain(appID: "dropbox")
        // general 8 (×2), security 10 (×4) → 56/6.
        #expect(abs((tuned.score ?? 0) - 56.0 / 6.0) < 1e-9)
        settings.overrides["dropbox"] = ScoringSettings.Override(score: 3, note: "under review")
        let overridden = RiskScorer(catalog: catalog, settings: settings, currentYear: 2026).explain(appID: "dropbox")
        #expect(overridden.score == 3)
        #expect(overridden.computedScore != 3)
        #expect(overridden.level == .high)
    }

    @Test(arguments: [
        (nil as Double?, RiskLevel.unscored), (0, .high), (4.4, .high), (4.5, .medium), (7.4, .medium),
        (7.5, .low), (10, .low),
    ])
    func levelsFollowTheDocumentedBands(score: Double?, level: RiskLevel) {
        #expect(RiskLevel(score: score) == level)
    }

    @Test func breachesAndFoundingYearsAgeOut() {
        let scorer = RiskScorer(catalog: catalog, settings: ScoringSettings(), currentYear: 2026, currentMonth: 6)
        let breach = RiskAttribute(id: "b", group: .security, name: "b", kind: .breach, weight: .high)
        #expect(scorer.score(breach, .text("none")) == 10)
        #expect(scorer.score(breach, .text("2026-01")) == 0)
        #expect(scorer.score(breach, .text("2024-12")) == 3)
        #expect(scorer.score(breach, .text("2015-01")) == 8)
        let founded = RiskAttribute(id: "f", group: .general, name: "f", kind: .year, weight: .low)
        #expect(scorer.score(founded, .number(2025)) == 2)
        #expect(scorer.score(founded, .number(1990)) == 10)
    }

    @Test func validatorFindsProblems() {
        var settings = DiscoverySettings()
        settings.scoring.overrides["dropbox"] = ScoringSettings.Override(score: 11, note: "")
        settings.tags["dropbox"] = ["sanctioned", "unsanctioned", "Bad Tag"]
        var c = catalog
        c.add(customApps: [CatalogApp(id: "dup", name: "Dup", category: "nope", domains: ["dropbox.com"])])
        let issues = CatalogValidator.validate(c, settings: settings)
        let messages = issues.map(\.message).joined(separator: "\n")
        #expect(messages.contains("unknown category 'nope'"))
        #expect(messages.contains("score must be 0–10"))
        #expect(messages.contains("needs a note"))
        #expect(messages.contains("both sanctioned and unsanctioned"))
        #expect(messages.contains("Bad Tag"))
        #expect(messages.contains("also belongs to"))
    }

    @Test func shippedCatalogValidates() throws {
        guard let shipped = try TestCatalog.shipped() else {
            Issue.record("the shipped catalog is missing")
            return
        }
        let errors = CatalogValidator.validate(shipped).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.prefix(10))")
        #expect(shipped.apps.count >= 1500)
        #expect(shipped.facts.count >= 300)
        #expect((45...60).contains(shipped.categories.count))
    }
}
