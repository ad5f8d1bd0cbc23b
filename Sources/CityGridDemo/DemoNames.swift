/// Chinese personal names for the demo city's operators, made from common surnames and given names.
enum DemoNames {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
                        "刚", "桂英", "建华", "文", "华", "建国", "红", "志强", "海燕", "晓东", "雪梅", "国庆", "玉兰", "春生", "立新", "淑珍",
                        "志明", "红梅", "建军", "晓燕", "子涵", "浩然", "欣怡", "宇轩", "梓萱", "俊杰", "佳怡", "一鸣", "思远", "雨桐"]

    static func name(_ random: inout DemoRandom) -> String {
        String(random.pick(surnames)) + random.pick(given)
    }
}
