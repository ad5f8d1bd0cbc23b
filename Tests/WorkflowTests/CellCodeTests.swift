import Foundation
import Testing
@testable import Workflow

/// Cell-code slicing, in one place: a cell code is district 6 + street 3 + community 3 + cell 3.
@Suite struct CellCodeTests {
    @Test func aCellCodeNamesItsRegions() {
        let code = "110101001002003"
        #expect(CellCode.district(of: code) == "110101")
        #expect(CellCode.street(of: code) == "110101001")
        #expect(CellCode.community(of: code) == "110101001002")
        #expect(CellCode.serial(of: code) == "003")
        #expect(CellPlace(cellCode: code, patrolAreaID: "PA-1")
                == CellPlace(code: code, communityCode: "110101001002", streetCode: "110101001", districtCode: "110101", patrolAreaID: "PA-1"))
    }

    @Test func anyCodeOfTheTreeGivesTheRegionsAboveIt() {
        #expect(CellCode.district(of: "110101001002") == "110101")
        #expect(CellCode.street(of: "110101001002") == "110101001")
        #expect(CellCode.district(of: "110101") == "110101")
        #expect(CellCode.district(of: "") == "")
        #expect(GridCell(code: "110102001001004", nameZh: "x", row: 0, col: 0, lat: 0, lon: 0, patrolAreaID: nil).place.districtCode == "110102")
    }
}
