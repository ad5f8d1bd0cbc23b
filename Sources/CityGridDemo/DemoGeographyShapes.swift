// Fixed inputs of the demo geography: district outlines, street anchors, names.
//
// Dongcheng's outline is a hand-drawn polygon in "design units" (about one cell
// each, x east, y south), loosely after the pre-2010 district. The generator
// scales it so its area equals the district's cell count and keeps exactly that
// many cells, the ones deepest inside the polygon (see `DemoGeography.mask`).
// Xicheng and Chaoyang are drawn in Dongcheng's grid coordinates (after that
// scaling) with the side facing Dongcheng drawn deep inside it: their cells stop
// one empty column short of Dongcheng's, so the districts fit together like real
// neighbours. Street anchors use the same coordinates as their district's outline.

extension DemoGeography {
    struct StreetSpec: Sendable {
        let code: String  // 3 digits
        let nameZh: String
        let nameEn: String
        let anchor: (x: Double, y: Double)
    }

    enum Side: Sendable { case centre, west, east }

    struct DistrictSpec: Sendable {
        let code: String
        let nameZh: String
        let nameEn: String
        let cellCount: Int
        let communityCount: Int
        /// `.centre`: outline in design units, scaled to the cell count.
        /// `.west` / `.east`: outline in the centre district's grid coordinates, clipped by it.
        let side: Side
        let outline: [(x: Double, y: Double)]
        let streets: [StreetSpec]
    }

    static let cityCode = "110000"
    static let cityNameZh = "北京市（演示）"
    static let cityNameEn = "Beijing (demo)"

    /// Centre of Dongcheng's cells on the map, and the size of one cell in degrees.
    public static let dongchengCentre = (lat: 39.928, lon: 116.416)
    public static let latPerRow = 0.0009  // ≈ 100 m; rows grow southward
    public static let lonPerCol = 0.00117  // ≈ 100 m at 39.9° N

    /// The centre district first: the others are drawn against it.
    static let districtSpecs: [DistrictSpec] = [dongcheng, xicheng, chaoyang]

    /// 东城区: the real 10 streets (pre-2010 list) with their real codes 001–010.
    static let dongcheng = DistrictSpec(
        code: "110101", nameZh: "东城区", nameEn: "Dongcheng",
        cellCount: 1593, communityCount: 126, side: .centre,
        outline: [
            (7, 0), (21, 0), (23, 1.5), (27, 1), (29.5, 5), (29, 10), (30, 13), (33, 13),
            (35, 16.5), (34.5, 23), (33.5, 29), (35, 36), (34, 42), (35, 46.5), (34, 50),
            (31, 52), (24, 52), (22, 50.5), (14, 50), (7, 50), (4, 47.5), (2, 43.5),
            (0.5, 40), (2, 34), (3, 29), (5.5, 25.5), (5.5, 21.5), (3.5, 18.5), (5, 15),
            (6.5, 13), (6, 9), (5.5, 4),
        ],
        streets: [
            StreetSpec(code: "001", nameZh: "东华门街道", nameEn: "Donghuamen", anchor: (10, 44)),
            StreetSpec(code: "002", nameZh: "景山街道", nameEn: "Jingshan", anchor: (6, 33)),
            StreetSpec(code: "003", nameZh: "交道口街道", nameEn: "Jiaodaokou", anchor: (12, 26)),
            StreetSpec(code: "004", nameZh: "安定门街道", nameEn: "Andingmen", anchor: (10, 18)),
            StreetSpec(code: "005", nameZh: "北新桥街道", nameEn: "Beixinqiao", anchor: (20, 20)),
            StreetSpec(code: "006", nameZh: "东四街道", nameEn: "Dongsi", anchor: (19, 32)),
            StreetSpec(code: "007", nameZh: "朝阳门街道", nameEn: "Chaoyangmen", anchor: (29, 34)),
            StreetSpec(code: "008", nameZh: "建国门街道", nameEn: "Jianguomen", anchor: (25, 45)),
            StreetSpec(code: "009", nameZh: "东直门街道", nameEn: "Dongzhimen", anchor: (30, 21)),
            StreetSpec(code: "010", nameZh: "和平里街道", nameEn: "Hepingli", anchor: (18, 6)),
        ]
    )

    /// 西城区, cut down for the demo: 8 of its streets (codes illustrative). West of Dongcheng.
    static let xicheng = DistrictSpec(
        code: "110102", nameZh: "西城区", nameEn: "Xicheng",
        cellCount: 900, communityCount: 70, side: .west,
        outline: [
            (-9, 2), (-3, 1.5), (20, 1), (20, 52), (-6, 52), (-13, 51), (-16, 47), (-17, 41),
            (-20, 37), (-20.5, 31), (-19, 25), (-16, 21), (-12, 18), (-11, 12), (-10, 6),
        ],
        streets: [
            StreetSpec(code: "001", nameZh: "德胜街道", nameEn: "Desheng", anchor: (-2, 7)),
            StreetSpec(code: "002", nameZh: "什刹海街道", nameEn: "Shichahai", anchor: (1, 19)),
            StreetSpec(code: "003", nameZh: "新街口街道", nameEn: "Xinjiekou", anchor: (-8, 15)),
            StreetSpec(code: "004", nameZh: "展览路街道", nameEn: "Zhanlanlu", anchor: (-16, 28)),
            StreetSpec(code: "005", nameZh: "金融街街道", nameEn: "Jinrongjie", anchor: (-6, 30)),
            StreetSpec(code: "006", nameZh: "西长安街街道", nameEn: "Xichang'anjie", anchor: (-3, 42)),
            StreetSpec(code: "007", nameZh: "月坛街道", nameEn: "Yuetan", anchor: (-14, 39)),
            StreetSpec(code: "008", nameZh: "广安门内街道", nameEn: "Guang'anmennei", anchor: (-10, 48)),
        ]
    )

    /// 朝阳区, only the strip between the east 2nd and 3rd ring roads: 6 streets (codes illustrative).
    static let chaoyang = DistrictSpec(
        code: "110105", nameZh: "朝阳区", nameEn: "Chaoyang",
        cellCount: 700, communityCount: 50, side: .east,
        outline: [
            (18, 3), (42, 2.5), (48, 5), (51, 11), (50, 19), (52, 27), (51, 35), (52, 41), (49.5, 46.5),
            (44, 49.5), (18, 49.5),
        ],
        streets: [
            StreetSpec(code: "001", nameZh: "和平街街道", nameEn: "Hepingjie", anchor: (36, 6)),
            StreetSpec(code: "002", nameZh: "左家庄街道", nameEn: "Zuojiazhuang", anchor: (45, 11)),
            StreetSpec(code: "003", nameZh: "三里屯街道", nameEn: "Sanlitun", anchor: (42, 21)),
            StreetSpec(code: "004", nameZh: "朝外街道", nameEn: "Chaowai", anchor: (41, 33)),
            StreetSpec(code: "005", nameZh: "呼家楼街道", nameEn: "Hujialou", anchor: (48, 30)),
            StreetSpec(code: "006", nameZh: "建外街道", nameEn: "Jianwai", anchor: (43, 44)),
        ]
    )

    /// Syllables for community names: a first character and a second, each with pinyin.
    static let communityFirst: [(zh: String, en: String)] = [
        ("东", "Dong"), ("西", "Xi"), ("南", "Nan"), ("北", "Bei"), ("新", "Xin"), ("安", "An"),
        ("和", "He"), ("福", "Fu"), ("兴", "Xing"), ("永", "Yong"), ("春", "Chun"), ("柳", "Liu"),
        ("青", "Qing"), ("银", "Yin"), ("金", "Jin"), ("宝", "Bao"), ("平", "Ping"), ("育", "Yu"),
        ("文", "Wen"), ("顺", "Shun"), ("嘉", "Jia"), ("德", "De"), ("仁", "Ren"), ("景", "Jing"),
        ("明", "Ming"), ("康", "Kang"), ("瑞", "Rui"), ("甘", "Gan"), ("双", "Shuang"), ("草", "Cao"),
        ("桃", "Tao"), ("松", "Song"), ("玉", "Yu"), ("三", "San"), ("九", "Jiu"), ("钱", "Qian"),
    ]
    static let communitySecond: [(zh: String, en: String)] = [
        ("园", "yuan"), ("桥", "qiao"), ("井", "jing"), ("巷", "xiang"), ("坊", "fang"),
        ("苑", "yuan"), ("里", "li"), ("街", "jie"), ("门", "men"), ("府", "fu"), ("营", "ying"),
        ("庄", "zhuang"), ("河", "he"), ("湖", "hu"), ("寺", "si"), ("厂", "chang"), ("楼", "lou"),
        ("台", "tai"), ("林", "lin"), ("池", "chi"), ("院", "yuan"), ("堂", "tang"),
    ]

    /// Kinds of places that draw many cases, for naming hotspots.
    static let hotspotKinds: [(zh: String, en: String)] = [
        ("菜市场", "market"), ("地铁站", "metro station"), ("商业街", "shopping street"),
        ("夜市", "night market"), ("医院", "hospital"), ("学校", "school gate"),
        ("公交枢纽", "bus hub"), ("景区", "scenic area"), ("建筑工地", "construction site"),
        ("老旧小区", "old housing estate"),
    ]
}
