import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The console's dispatch form offers the street and community holding the case's cell beside the departments (issue
/// 18, 三级处置), and a community-level category's case starts on its community.
@Suite struct BelowDistrictConsoleTests {
    static let cell = "110101001001001"

    /// A demo report of `category` in the demo's unit street and community, filed and waiting at the city command center.
    static func filedCase(_ store: CityStore, category: String) throws -> ServiceCase {
        let t = ConsoleFixture.now.addingTimeInterval(-600)
        let area = try store.cellPlace(cell).patrolAreaID
        let walker = try #require(try store.operators().first { $0.role == .inspector && $0.patrolAreaID == area })
        let c = try store.report(ReportDraft(kind: .event, categoryCode: category, cellCode: cell, description: "小广告"), by: walker.login, at: t)
        _ = try store.perform(ActionRequest(action: .accept, caseID: c.id, actor: "city-intake-1"), at: t.addingTimeInterval(60))
        return try store.perform(ActionRequest(action: .file, caseID: c.id, actor: "city-lead-1"), at: t.addingTimeInterval(120))
    }

    @Test func theDispatchFormOffersTheCellsStreetAndCommunityAndPicksTheCommunityForACommunityLevelCategory() throws {
        let store = try ConsoleFixture.store()
        let c = try Self.filedCase(store, category: "0201")   // the demo's community-level category
        let engine = try ConsoleFixture.engine(as: "city-dispatcher-1", width: 100, height: 30, store: store)
        engine.execute(.openCase(c.id))
        engine.press("D")
        let form = try #require(engine.state.form)
        #expect(form.action == .dispatch)
        let to = try #require(form.fields.first { $0.key == "to" })
        let values = to.options.map(\.value)
        #expect(values.contains("110101001") && values.contains("110101001001") && values.contains("SANIT"), "\(values)")
        #expect(!values.contains("110101001002"), "a community that does not hold the cell is not offered")
        #expect(to.options[to.selected].value == "110101001001", "community-level: the community first")
        #expect(to.options.first { $0.value == "110101001001" }?.detail.contains("community") == true)
        engine.press("enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        let after = try store.serviceCase(c.id)
        #expect(after.state == .dispatched && after.departmentCode == "110101001001")
    }

    @Test func aDepartmentCategoryStillStartsOnItsDepartment() throws {
        let store = try ConsoleFixture.store()
        let c = try Self.filedCase(store, category: "0102")
        let engine = try ConsoleFixture.engine(as: "city-dispatcher-1", width: 100, height: 30, lang: .zh, store: store)
        engine.execute(.openCase(c.id))
        engine.press("D")
        let to = try #require(engine.state.form?.fields.first { $0.key == "to" })
        #expect(to.options[to.selected].value == "SANIT")
        #expect(to.options.first { $0.value == "110101001" }?.detail.contains("街道") == true)
    }

    @Test func theRefusalsOfAUnitBelowTheDistrictAreWordedInBothLanguages() {
        let outside = Refusal.unitOutsideCell(caseID: 7, unit: "110101001002", level: .community, cell: Self.cell)
        #expect(Language.zh.refusal(outside) == "社区 110101001002 不包含案件 7 的网格 110101001001001；案件只能派给其网格所在的街道（镇）或社区")
        #expect(Language.en.refusal(outside).hasPrefix("community 110101001002 does not hold case 7's cell"))
        #expect(CLIWording.describe(.refusal(outside)).hasPrefix("refused: community 110101001002 does not hold case 7's cell 110101001001001"))
        #expect(WorkflowError.refusal(outside).exitCode == 3)
        let notUnit = Refusal.regionNotHandlingUnit(region: "110101001", level: .street)
        #expect(Language.zh.refusal(notUnit) == "街道（镇） 110101001 还不是处置单位，须由系统管理员先设为处置单位")
        #expect(CLIWording.describe(.refusal(notUnit)).contains("citygrid department add-region 110101001"))
        #expect(!Language.en.refusal(notUnit).contains("--") && !Language.en.refusal(notUnit).contains("citygrid"))
    }
}
