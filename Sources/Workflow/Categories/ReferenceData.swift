// The default category and department tables, copied from the project's reference data
// (shared/reference/categories.csv and departments.csv) so the binary carries them: users have no
// shared/ folder. A test checks these texts still equal the reference files when those are present.
public enum ReferenceData {
    public static let categoriesCSV = #"""
kind,large_code,large_name_zh,large_name_en,small_code,code,name_zh,name_en,department,urgent,handle_limit,limit_unit
component,01,公用设施,Public utilities,01,0101,上水井盖,Water supply manhole cover,WATER,yes,6,hours
component,01,公用设施,Public utilities,02,0102,污水井盖,Sewage manhole cover,DRAIN,yes,6,hours
component,01,公用设施,Public utilities,03,0103,雨水井盖,Storm drain manhole cover,DRAIN,yes,6,hours
component,01,公用设施,Public utilities,04,0104,雨水箅子,Storm drain grate,DRAIN,yes,6,hours
component,01,公用设施,Public utilities,05,0105,电力井盖,Power manhole cover,POWER,yes,6,hours
component,01,公用设施,Public utilities,06,0106,路灯井盖,Street light manhole cover,LIGHT,yes,6,hours
component,01,公用设施,Public utilities,07,0107,通信井盖,Telecom manhole cover,TELECOM,yes,6,hours
component,01,公用设施,Public utilities,10,0110,热力井盖,Heating manhole cover,HEAT,yes,6,hours
component,01,公用设施,Public utilities,11,0111,燃气井盖,Gas manhole cover,GAS,yes,6,hours
component,01,公用设施,Public utilities,12,0112,公安井盖,Public security manhole cover,POLICE,yes,6,hours
component,01,公用设施,Public utilities,13,0113,消防设施,Fire hydrant and fire equipment,POLICE,yes,6,hours
component,01,公用设施,Public utilities,14,0114,不明井盖,Manhole cover of unknown owner,ROADS,yes,6,hours
component,01,公用设施,Public utilities,15,0115,通信交接箱,Telecom cross-connect cabinet,TELECOM,no,3,working_days
component,01,公用设施,Public utilities,16,0116,电力设施,Power equipment,POWER,no,2,working_days
component,01,公用设施,Public utilities,17,0117,电杆,Utility pole,POWER,no,3,working_days
component,01,公用设施,Public utilities,18,0118,路灯,Street light,LIGHT,no,2,working_days
component,01,公用设施,Public utilities,21,0121,报刊亭,Newsstand,ENFORCE,no,5,working_days
component,01,公用设施,Public utilities,22,0122,电话亭,Phone booth,TELECOM,no,5,working_days
component,01,公用设施,Public utilities,23,0123,邮筒,Mailbox,STREET,no,5,working_days
component,01,公用设施,Public utilities,26,0126,健身设施,Fitness equipment,STREET,no,5,working_days
component,02,道路交通,Roads and traffic,01,0201,停车场,Parking lot,TRAFFIC,no,5,working_days
component,02,道路交通,Roads and traffic,02,0202,停车咪表,Parking meter,TRAFFIC,no,3,working_days
component,02,道路交通,Roads and traffic,03,0203,公交站亭,Bus shelter,TRAFFIC,no,3,working_days
component,02,道路交通,Roads and traffic,06,0206,交通标志牌,Traffic sign,TRAFFIC,no,2,working_days
component,02,道路交通,Roads and traffic,09,0209,隔离护栏,Traffic barrier railing,ROADS,no,2,working_days
component,02,道路交通,Roads and traffic,14,0214,交通信号灯,Traffic signal,TRAFFIC,yes,4,hours
component,03,市容环境,City appearance,01,0301,公共厕所,Public toilet,SANIT,no,1,working_days
component,03,市容环境,City appearance,05,0305,垃圾箱,Litter bin,SANIT,no,8,working_hours
component,03,市容环境,City appearance,07,0307,广告牌匾,Shop sign or billboard,ENFORCE,no,5,working_days
component,04,园林绿化,Parks and greening,01,0401,古树名木,Heritage tree,GREEN,no,3,working_days
component,04,园林绿化,Parks and greening,02,0402,行道树,Street tree,GREEN,no,3,working_days
component,04,园林绿化,Parks and greening,05,0405,绿地,Green space,GREEN,no,5,working_days
component,05,房屋土地,Buildings and land,01,0501,宣传栏,Notice board,STREET,no,5,working_days
component,06,其他设施,Other facilities,99,0699,其他部件,Other component,STREET,no,5,working_days
event,01,市容环境,City appearance,01,0101,私搭乱建,Unauthorized shack or structure,ENFORCE,no,15,working_days
event,01,市容环境,City appearance,02,0102,暴露垃圾,Exposed rubbish,SANIT,no,4,working_hours
event,01,市容环境,City appearance,03,0103,积存垃圾渣土,Accumulated rubbish or debris,SANIT,no,4,working_days
event,01,市容环境,City appearance,04,0104,道路不洁,Dirty road surface,SANIT,no,5,working_hours
event,01,市容环境,City appearance,05,0105,水域不洁,Dirty waterway,SANIT,no,1,working_days
event,01,市容环境,City appearance,06,0106,绿地脏乱,Littered green space,GREEN,no,1,working_days
event,01,市容环境,City appearance,07,0107,废弃车辆,Abandoned vehicle,ENFORCE,no,5,working_days
event,01,市容环境,City appearance,08,0108,废弃家具,Abandoned furniture,SANIT,no,1,working_days
event,01,市容环境,City appearance,10,0110,道路破损,Damaged road surface,ROADS,no,3,working_days
event,02,宣传广告,Advertising,01,0201,非法小广告,Illegal flyers and graffiti ads,STREET,no,1,working_days
event,02,宣传广告,Advertising,02,0202,违章张贴悬挂广告,Unauthorized posted or hung ads,ENFORCE,no,2,working_days
event,02,宣传广告,Advertising,03,0203,占道广告牌,Sidewalk sign board,ENFORCE,no,1,working_days
event,02,宣传广告,Advertising,04,0204,街头散发广告,Street flyer distribution,ENFORCE,no,4,working_hours
event,03,施工管理,Construction,01,0301,施工扰民,Construction noise nuisance,CONSTR,no,1,working_days
event,03,施工管理,Construction,02,0302,工地扬尘,Construction dust,CONSTR,no,4,working_hours
event,03,施工管理,Construction,03,0303,施工废弃料,Construction waste,CONSTR,no,2,working_days
event,03,施工管理,Construction,04,0304,施工占道,Construction blocking the road,CONSTR,no,1,working_days
event,03,施工管理,Construction,05,0305,无证掘路,Unpermitted road excavation,ROADS,no,1,working_days
event,03,施工管理,Construction,06,0306,渣土车抛撒滴漏,Spillage from debris trucks,SANIT,no,4,working_hours
event,04,突发事件,Emergencies,01,0401,路面塌陷,Road collapse,ROADS,yes,2,hours
event,04,突发事件,Emergencies,02,0402,自来水管破裂,Burst water main,WATER,yes,2,hours
event,04,突发事件,Emergencies,03,0403,燃气管道破裂,Gas pipe leak,GAS,yes,1,hours
event,04,突发事件,Emergencies,06,0406,道路积水,Road waterlogging,DRAIN,yes,4,hours
event,04,突发事件,Emergencies,07,0407,道路积雪结冰,Snow or ice on road,SANIT,yes,6,hours
event,05,街面秩序,Street order,01,0501,无照经营游商,Unlicensed street vending,ENFORCE,no,2,working_hours
event,05,街面秩序,Street order,02,0502,流浪乞讨,Vagrancy and begging,POLICE,no,1,working_days
event,05,街面秩序,Street order,03,0503,占道废品收购,Scrap collection on the road,ENFORCE,no,1,working_days
event,05,街面秩序,Street order,04,0504,店外经营,Business spilling outside the shop,ENFORCE,no,2,working_hours
event,05,街面秩序,Street order,05,0505,机动车乱停放,Illegally parked motor vehicle,TRAFFIC,no,2,working_hours
event,05,街面秩序,Street order,06,0506,非机动车乱停放,Illegally parked bicycles,STREET,no,4,working_hours
event,05,街面秩序,Street order,07,0507,乱堆物堆料,Materials piled on public space,STREET,no,1,working_days
"""#

    public static let departmentsCSV = #"""
code,name_zh,name_en,scope
WATER,供水公司,Water supply company,component owner
DRAIN,排水管理处,Drainage authority,component owner
POWER,供电公司,Power company,component owner
TELECOM,通信运营商,Telecom operators,component owner
GAS,燃气公司,Gas company,component owner
HEAT,热力公司,District heating company,component owner
LIGHT,路灯管理所,Street lighting office,component owner
ROADS,市政工程管理处,Municipal roads and works,component owner
SANIT,环境卫生管理处,Sanitation department,events and bins
GREEN,园林绿化局,Parks and greening bureau,trees and green space
TRAFFIC,交通管理部门,Traffic management,signals signs parking
ENFORCE,城市管理执法局,City management enforcement,street order and illegal building
CONSTR,建设管理部门,Construction site management,construction sites
POLICE,公安分局,Police,public security covers and begging
STREET,街道办事处,Street office of the area,events first owned by the place
"""#
}
