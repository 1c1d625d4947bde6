"""One purpose-made text per extraction mechanism; each test asserts specific assignments."""
from __future__ import annotations

import pytest

from kgraph.extract import extract
from kgraph.read import make_document


def assignments(text: str, name: str = "test.txt", title_line: str = "关于做好有关工作的通知") -> set[tuple[str, str, str]]:
    """(actor, role, measure) triples of a text; a title line goes first as in real documents."""
    document = make_document(name, f"{title_line}\n{text}")
    return {(a.actor, a.role, a.measure) for a in extract(document).assignments}


def full(text: str, title_line: str = "关于做好有关工作的通知"):
    return extract(make_document("test.txt", f"{title_line}\n{text}")).assignments


# ---------------------------------------------------------------- subject + cue + verb phrase

def test_subject_modal_verb_phrase():
    found = assignments("交运局要开展旅客体温筛查工作，组织对火车站开展卫生消毒。")
    assert ("交运局", "responsible", "开展旅客体温筛查工作") in found
    assert ("交运局", "responsible", "组织对火车站开展卫生消毒") in found


def test_modal_and_adverbs_are_not_part_of_the_measure():
    found = assignments("各乡镇必须进一步切实加强农村道路隐患排查。")
    assert ("各乡镇", "responsible", "加强农村道路隐患排查") in found


def test_role_verbs_and_focus_adverb():
    found = assignments("财政局负责疫情防控经费保障；市场监管局重点加强农贸市场管控。", title_line="在会议上的讲话")
    assert ("财政局", "responsible", "负责疫情防控经费保障") in found
    assert ("市场监管局", "responsible", "加强农贸市场管控") in found


def test_by_actor_construction_gives_the_actor_after_by():
    found = assignments("明确由市委督查室牵头，面向社会征集问题线索。")
    assert ("市委督查室", "lead", "征集问题线索") in found or ("市委督查室", "lead", "面向社会征集问题线索") in found


def test_agenda_item_with_by_is_not_a_duty():
    found = assignments("会议进行第二项，由王市长传达省委会议精神。", title_line="在全市工作会议上的主持词")
    assert not any("传达" in m for _, _, m in found)


def test_partner_with_peihe_is_support():
    found = assignments("卫健委要与财政部门配合，做好防护用品的储备和供应。")
    assert ("卫健委", "responsible", "做好防护用品的储备和供应") in found
    assert ("财政部门", "support", "做好防护用品的储备和供应") in found


def test_partner_with_lianhe_and_huitong_is_support():
    found = assignments("卫健委要联合宣传部门开展健康知识宣传。市河长办要会同县委督查室，对各乡镇河长制工作进行督导。")
    assert ("宣传部门", "support", "开展健康知识宣传") in found
    assert ("市河长办", "supervise", "进行督导") in found
    assert ("县委督查室", "support", "进行督导") in found


def test_lead_cue_words_inside_the_measure():
    found = assignments("各级党委要担负起第一责任人责任。")
    assert ("各级党委", "lead", "担负起第一责任人责任") in found


def test_supervise_role_from_the_duty_verb():
    found = assignments("各督导组要加大日常督导，督促有关单位尽快整改。")
    assert ("各督导组", "supervise", "加大日常督导") in found
    assert ("各督导组", "supervise", "督促有关单位尽快整改") in found


def test_trailing_support_clause_takes_the_duties_before_it():
    found = assignments("县应急管理局要牵头修订完善森林火灾应急预案，县林业局、各乡镇配合。")
    assert ("县应急管理局", "lead", "修订完善森林火灾应急预案") in found or \
        ("县应急管理局", "lead", "牵头修订完善森林火灾应急预案") in found
    assert any(a == "县林业局" and r == "support" for a, r, _ in found)
    assert any(a == "各乡镇" and r == "support" for a, r, _ in found)


# ---------------------------------------------------------------- task-division markers

def test_parenthetical_lead_and_support_marker():
    found = assignments("（一）完善河湖监测体系（市水利局牵头，市生态环境局、市自然资源局配合）。")
    assert ("市水利局", "lead", "完善河湖监测体系") in found
    assert ("市生态环境局", "support", "完善河湖监测体系") in found
    assert ("市自然资源局", "support", "完善河湖监测体系") in found


def test_keyed_marker_with_units_listed_after_colons():
    found = assignments("（二）开展燃气安全专项整治。（牵头单位：市住建局；配合单位：市市场监管局、市应急管理局，各区、县级市）")
    assert ("市住建局", "lead", "开展燃气安全专项整治") in found
    assert ("市市场监管局", "support", "开展燃气安全专项整治") in found
    assert ("各区", "support", "开展燃气安全专项整治") in found
    assert ("县级市", "support", "开展燃气安全专项整治") in found


def test_responsibility_lines_after_the_task_with_a_deadline_line():
    items = full("（三）加强危险化学品监管。\n责任单位：市应急管理局、市生态环境局\n完成时限：2024年12月底")
    found = {(a.actor, a.role, a.measure) for a in items}
    assert ("市应急管理局", "responsible", "加强危险化学品监管") in found
    assert ("市生态环境局", "responsible", "加强危险化学品监管") in found
    assert all(a.deadline == "2024年12月底" for a in items if a.measure == "加强危险化学品监管")


def test_marker_with_role_words_and_deadline_key():
    items = full("（四）强化道路交通安全管理（市公安局牵头，市交通运输局配合；完成时限：2024年12月底）。")
    found = {(a.actor, a.role, a.measure, a.deadline) for a in items}
    assert ("市公安局", "lead", "强化道路交通安全管理", "2024年12月底") in found
    assert ("市交通运输局", "support", "强化道路交通安全管理", "2024年12月底") in found


def test_marker_units_by_duty_share():
    found = assignments("（五）强化森林草原火灾防控。（国家林草局、应急管理部按职责分工负责，公安部配合）")
    assert ("国家林草局", "responsible", "强化森林草原火灾防控") in found
    assert ("应急管理部", "responsible", "强化森林草原火灾防控") in found
    assert ("公安部", "support", "强化森林草原火灾防控") in found


def test_a_fuze_b_peihe_inline():
    found = assignments("（六）做好汛期值班值守（市水利局负责，市气象局配合）。")
    assert ("市水利局", "responsible", "做好汛期值班值守") in found
    assert ("市气象局", "support", "做好汛期值班值守") in found


def test_chengban_xieban_marker():
    found = assignments("（七）组织应急演练。（承办单位：市应急管理局；协办单位：市消防救援支队）")
    assert ("市应急管理局", "responsible", "组织应急演练") in found
    assert ("市消防救援支队", "support", "组织应急演练") in found


# ---------------------------------------------------------------- enumerated items inherit

def test_items_inherit_the_actor_of_their_lead_in():
    text = "卫健委要落实防控主体责任。一要加强防控指导。二要做好物资储备。三是提升救治水平，确保患者及时救治。"
    found = assignments(text, title_line="在全县疫情防控工作会议上的讲话")
    for measure in ("落实防控主体责任", "加强防控指导", "做好物资储备", "提升救治水平", "确保患者及时救治"):
        assert ("卫健委", "responsible", measure) in found


def test_numbered_sections_inherit_across_paragraphs():
    text = ("各县（市）各部门要充分认识疫情防控的复杂性。\n"
            "（一）强化组织领导。要加强沟通协调，确保防控机制不散。\n"
            "（二）强化督导指导。要加强督导检查，发现问题及时整改。")
    found = assignments(text, title_line="在全市会议上的讲话")
    assert ("各县（市）各部门", "responsible", "加强沟通协调") in found
    assert ("各县（市）各部门", "supervise", "强化督导指导") in found
    assert ("各县（市）各部门", "supervise", "加强督导检查") in found


def test_first_second_sequence_inherits():
    text = "公安局要落实人员管控。首先，要加强卡口检查。其次，要严格车辆登记。"
    found = assignments(text, title_line="在会议上的讲话")
    assert ("公安局", "responsible", "加强卡口检查") in found
    assert ("公安局", "responsible", "严格车辆登记") in found


def test_subjectless_sentence_outside_items_is_not_assigned():
    text = "卫健委要落实防控主体责任。\n要坚持实事求是，加强宣传引导。"
    found = assignments(text, title_line="在会议上的讲话")
    assert not any("宣传引导" in m for _, _, m in found)


def test_conclusion_does_not_lead_in_items():
    text = "总之，各级各部门要带头遵守各项规定。\n一要做好防控宣传。要开展宣传引导。"
    found = assignments(text, title_line="在会议上的讲话")
    assert not any(m == "做好防控宣传" for _, _, m in found)


# ---------------------------------------------------------------- coordination

def test_coordinated_actors_each_get_the_measure():
    found = assignments("宣传部门与公安部门要加强沟通。省农业厅、卫生厅、公安厅要联合开展执法检查。")
    assert {("宣传部门", "responsible", "加强沟通"), ("公安部门", "responsible", "加强沟通")} <= found
    actors = {a for a, _, m in found if "执法检查" in m}
    assert {"省农业厅", "卫生厅", "公安厅"} <= actors


def test_enterprises_and_project_headquarters():
    found = assignments("企业和项目指挥部要建立返岗职工花名册。")
    assert ("企业", "responsible", "建立返岗职工花名册") in found
    assert ("项目指挥部", "responsible", "建立返岗职工花名册") in found


def test_coordinated_verb_phrases_split_when_each_has_an_object():
    found = assignments("各级各部门要增强“四个意识”、坚定“四个自信”、做到“两个维护”。")
    for measure in ("增强“四个意识”", "坚定“四个自信”", "做到“两个维护”"):
        assert ("各级各部门", "responsible", measure) in found


def test_one_duty_restated_is_not_split():
    found = assignments("各级各部门要切实抓紧、抓好、抓实。", title_line="在会议上的讲话")
    assert ("各级各部门", "responsible", "抓紧、抓好、抓实") in found


def test_list_of_places_before_a_shared_head_is_one_actor():
    found = assignments("各县、市、区政府要落实属地责任。")
    assert ("各县、市、区政府", "responsible", "落实属地责任") in found


# ---------------------------------------------------------------- notices

def test_addressees_of_a_notice_take_the_please_clause():
    text = "各区人民政府，市直各委、办、局：\n现将《防汛工作方案》印发给你们，请认真组织实施。"
    found = assignments(text, title_line="XX市人民政府办公室关于印发防汛工作方案的通知")
    assert ("各区人民政府", "responsible", "组织实施") in found
    assert ("市直各委、办、局", "responsible", "组织实施") in found


def test_the_document_title_assigns_nothing():
    found = assignments("各乡镇要做好森林防火工作。", title_line="xx县人民政府关于切实做好春季森林防火工作的紧急通知")
    assert all(a != "xx县人民政府" for a, _, _ in found)


# ---------------------------------------------------------------- deadlines, prohibitions

def test_deadline_is_kept_as_an_attribute():
    items = full("市住建局要于2012年10月底前完成城区易涝点整治。")
    hit = [a for a in items if a.actor == "市住建局"]
    assert hit and hit[0].deadline == "2012年10月底前"
    assert hit[0].measure == "完成城区易涝点整治"


def test_prohibitions_keep_their_negation():
    items = full("值班人员不得擅离职守。各乡镇严禁瞒报、谎报灾情。")
    found = {(a.actor, a.measure, a.negated) for a in items}
    assert ("值班人员", "不得擅离职守", True) in found
    assert ("各乡镇", "严禁瞒报、谎报灾情", True) in found


# ---------------------------------------------------------------- what is not an assignment

def test_reports_of_past_work_are_not_duties():
    found = assignments("刚才，卫健委汇报了疫情防控工作开展情况。各单位都成立了领导小组。", title_line="在会议上的讲话")
    assert found == set()


def test_pronouns_are_not_actors():
    found = assignments("我们要坚决打赢这场硬仗。大家要提高警惕。", title_line="在会议上的讲话")
    assert found == set()


def test_objects_of_a_duty_are_not_actors():
    found = assignments("对湖北返乡人员及密切接触者，必须居家隔离14天。", title_line="在会议上的讲话")
    assert not any(a.startswith("湖北返乡人员") for a, _, _ in found)


def test_things_with_a_modal_are_not_actors():
    found = assignments("企业通勤车辆要每日消毒。", title_line="在会议上的讲话")
    assert found == set()


# ---------------------------------------------------------------- noise

def test_mixed_half_and_full_width_punctuation():
    found = assignments("公安局要落实人员管控,确保隔离措施的有效实施;交运局要开展体温筛查。")
    assert ("公安局", "responsible", "确保隔离措施的有效实施") in found
    assert ("交运局", "responsible", "开展体温筛查") in found


def test_placeholders_in_names():
    items = full("xx市卫健委要做好发热门诊管理。XX县应急管理局要组织开展演练。")
    found = {(a.actor, a.canonical_actor) for a in items}
    assert ("xx市卫健委", "卫生健康委员会") in found
    assert ("XX县应急管理局", "应急管理局") in found


def test_dotted_lines_and_line_breaks_inside_a_sentence():
    text = ("...............................................\n"
            "县林业局要加强森林防火宣传教育工作，县公安局要依法查处野外违规用火行为和\n"
            "其他违法违规行为，切实维护林区安全稳定。")
    found = assignments(text)
    assert ("县公安局", "responsible", "查处野外违规用火行为和其他违法违规行为") in found


def test_offsets_locate_the_evidence_in_the_text():
    text = "关于做好有关工作的通知\n前言一句。\n财政局负责经费保障工作。"
    document = make_document("t.txt", text)
    item = next(a for a in extract(document).assignments if a.actor == "财政局")
    assert document.text[item.start:item.end] == "财政局负责经费保障工作。"
    assert item.evidence == "财政局负责经费保障工作。"


@pytest.mark.parametrize("alias", ["卫健委", "市卫健委", "卫生健康委员会", "市卫生健康委员会"])
def test_aliases_share_one_canonical_name(alias):
    items = full(f"{alias}要做好疫苗接种工作。")
    assert items and items[0].canonical_actor == "卫生健康委员会"
    assert items[0].actor == alias


def test_lead_and_support_groups_wait_for_the_measure():
    found = assignments("由县应急管理局牵头，县市场监管局、县公安局配合，开展危险化学品专项执法检查。")
    assert ("县应急管理局", "lead", "开展危险化学品专项执法检查") in found
    assert ("县市场监管局", "support", "开展危险化学品专项执法检查") in found
    assert ("县公安局", "support", "开展危险化学品专项执法检查") in found


def test_by_x_together_with_y():
    found = assignments("（一）关于耕地保护问题，由国土资源部会同农业部等部门负责落实。")
    assert ("国土资源部", "responsible", "负责落实") in found
    assert ("农业部", "support", "负责落实") in found


def test_quoted_words_are_not_cues():
    found = assignments("各行业主管部门要按照“谁主管、谁负责”的原则，依法履行行业监管职责。")
    assert ("各行业主管部门", "responsible", "履行行业监管职责") in found
    assert not any("原则" in m for _, _, m in found)


def test_bodies_sharing_a_place():
    found = assignments("各乡镇党委、政府要认真落实属地管理责任。")
    assert ("各乡镇党委、政府", "responsible", "落实属地管理责任") in found


def test_task_table_saved_as_tab_separated_text(tmp_path):
    from kgraph.read import read_document

    path = tmp_path / "清单.txt"
    path.write_text("重点任务清单\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
                    "1\t开展燃气安全隐患排查，完成老旧管道更新改造\t市住建局\t市市场监管局、各县（市、区）政府\t2024年12月底前\n",
                    encoding="utf-8")
    items = extract(read_document(path)).assignments
    found = {(a.actor, a.role, a.measure) for a in items}
    assert ("市住建局", "lead", "开展燃气安全隐患排查") in found
    assert ("市住建局", "lead", "完成老旧管道更新改造") in found
    assert ("各县（市、区）政府", "support", "完成老旧管道更新改造") in found
    assert all(a.deadline == "2024年12月底前" for a in items)


# ---------------------------------------------------------------- partners after the subject, things that are not duties

def test_partner_after_subject_without_modal_supports_the_duty():
    found = assignments("（一）开展专项检查。市公安局会同市交通局开展道路交通安全专项检查。",
                        title_line="xx市道路交通安全整治实施方案")
    assert ("市公安局", "responsible", "开展道路交通安全专项检查") in found
    assert ("市交通局", "support", "开展道路交通安全专项检查") in found


def test_partner_word_before_a_county_body_is_not_a_place_name():
    # jieba's dictionary has 会同县 (a county); here it is 会同 + 县财政局
    found = assignments("县农业农村局要会同县财政局制定农村公厕管护经费补助办法，6月底前报县政府审定。")
    assert ("县财政局", "support", "制定农村公厕管护经费补助办法") in found
    assert ("县农业农村局", "responsible", "报县政府审定") in found
    assert not any(actor.startswith("6月") for actor, _, _ in found)


def test_clauses_with_a_linking_verb_are_not_actor_names_nor_duties():
    found = assignments("县安委办要对各乡镇开展常态化督查，督查结果纳入年度目标责任考核。"
                        "领导小组办公室设在县农业农村局，负责日常调度。考核结果作为干部选拔任用的重要参考。")
    assert ("县安委办", "supervise", "开展常态化督查") in found
    assert not any("纳入" in measure for _, _, measure in found)
    assert not any("设在" in actor or "作为" in actor for actor, _, _ in found)


def test_verb_before_a_nominal_verb_heads_the_measure():
    found = assignments("县安委办要对各乡镇安全生产责任落实情况开展常态化督查。")
    assert found == {("县安委办", "supervise", "开展常态化督查")}


def test_nouns_listed_with_deng_and_a_shared_object_stay_one_measure():
    found = assignments("市应急管理局要开展粉尘涉爆、涉氨制冷、有限空间作业等重点环节专项执法检查，"
                        "严禁在化工园区外新建、扩建危险化学品生产项目。")
    assert ("市应急管理局", "responsible", "开展粉尘涉爆、涉氨制冷、有限空间作业等重点环节专项执法检查") in found
    assert ("市应急管理局", "responsible", "严禁在化工园区外新建、扩建危险化学品生产项目") in found


# ---------------------------------------------------------------- minutes, rectification plans, work points

def test_labelled_block_of_tasks_goes_to_every_unit_of_the_marker_lines_after_it():
    text = ("问题1：医保基金监管存在薄弱环节，查处不及时。\n"
            "整改措施：1.开展定点医药机构专项治理。2.对查实的违规问题依法追回医保基金。\n"
            "责任领导：分管副局长***\n"
            "责任单位：基金监管科（牵头）、市医疗保障服务中心\n"
            "整改时限：2025年10月底前\n")
    found = full(text, title_line="xx市医疗保障局巡察反馈问题整改方案")
    triples = {(a.actor, a.role, a.measure) for a in found}
    for measure in ("开展定点医药机构专项治理", "追回医保基金"):
        assert ("分管副局长", "responsible", measure) in triples  # the left-out name is dropped
        assert ("基金监管科", "lead", measure) in triples
        assert ("市医疗保障服务中心", "responsible", measure) in triples
    assert {a.deadline for a in found} == {"2025年10月底前"}
    assert not any("薄弱" in m or "不及时" in m for _, _, m in triples)  # the problem line states no duty


def test_work_point_items_with_short_marker_labels():
    found = assignments("3.扩大普惠性学前教育资源。新建、改扩建公办幼儿园4所。（牵头：基础教育股；配合：计财股、县自然资源局）\n"
                        "8.深化教育评价改革。(责任科室:督导室、教研室)", title_line="xx县教育局2025年工作要点")
    assert ("基础教育股", "lead", "扩大普惠性学前教育资源") in found
    assert ("县自然资源局", "support", "扩大普惠性学前教育资源") in found
    assert ("督导室", "responsible", "深化教育评价改革") in found


def test_role_groups_at_the_end_take_the_duties_before_them():
    found = assignments("会议议定：\n（二）启动背街小巷综合整治提升行动，年内完成32条背街小巷改造，由区城管局负责，区住建局、各街道办事处配合。",
                        title_line="xx区人民政府常务会议纪要")
    assert ("区城管局", "responsible", "启动背街小巷综合整治提升行动") in found
    assert ("区住建局", "support", "完成32条背街小巷改造") in found
    assert ("各街道办事处", "support", "启动背街小巷综合整治提升行动") in found


def test_attendance_lines_and_line_broken_clauses_in_minutes():
    found = assignments("会议要求：\n（一）区城管局要会同区市场监管局、各街道办事处，\n开展占道经营专项整治。\n"
                        "列席：区政府办、区文明办、区城管局主要负责同志\n记录：***", title_line="xx区人民政府常务会议纪要")
    assert ("区城管局", "responsible", "开展占道经营专项整治") in found
    assert ("区市场监管局", "support", "开展占道经营专项整治") in found
    assert not any(actor == "区政府办" for actor, _, _ in found)


def test_targets_said_of_a_metric_are_not_duties():
    found = assignments("（一）市政务服务中心要推行企业开办“一日办结”，企业开办时间压缩至0.5个工作日，"
                        "政务服务事项“一网通办”率达到98%。", title_line="xx市优化营商环境实施方案")
    assert ("市政务服务中心", "responsible", "推行企业开办“一日办结”") in found
    assert not any("压缩至" in m or "达到98%" in m for _, _, m in found)


def test_prepositional_phrase_words_before_a_level_are_no_place_name():
    found = assignments("各县(市、区)要及时向市民政局提供考核所需的数据，通过县融媒体中心公开曝光典型案例。")
    assert {actor for actor, _, _ in found} == {"各县(市、区)"}


def test_people_named_by_a_bare_head_frequencies_and_jiang_objects():
    found = full("居民应当分类投放生活垃圾。楼栋长负责本楼栋垃圾分类的宣传。"
                 "市发改委要加强统筹调度，每月通报一次进展情况。各乡镇于5月10日前将工作开展情况报送县委办。",
                 title_line="xx街道生活垃圾分类工作方案")
    triples = {(a.actor, a.role, a.measure) for a in found}
    assert ("居民", "responsible", "分类投放生活垃圾") in triples
    assert ("楼栋长", "responsible", "负责本楼栋垃圾分类的宣传") in triples
    assert ("市发改委", "responsible", "通报一次进展情况") in triples
    report = next(a for a in found if a.actor == "各乡镇")
    assert (report.measure, report.deadline) == ("将工作开展情况报送县委办", "5月10日前")


def test_first_listed_unit_leads_when_the_marker_says_so_and_support_inside_an_object_is_no_role():
    found = assignments("1.加快建设数字基础设施。（责任单位：县发改局、县工信局，排名第一的为牵头单位）\n"
                        "省发展改革委、省财政厅等部门要加大资金支持力度。\n"
                        "市级各相关部门要按照本方案要求，抓好贯彻落实。", title_line="xx省数字经济发展实施方案")
    assert ("县发改局", "lead", "加快建设数字基础设施") in found
    assert ("县工信局", "responsible", "加快建设数字基础设施") in found
    assert ("省财政厅", "responsible", "加大资金支持力度") in found
    assert not any(measure == "要求" for _, _, measure in found)
    assert ("市级各相关部门", "responsible", "抓好贯彻落实") in found


def test_distributive_fenbie_pairs_each_actor_with_its_own_object():
    found = assignments("县财政局、县审计局分别负责资金保障和审计监督。", title_line="xx县工作方案")
    assert found == {("县财政局", "responsible", "负责资金保障"), ("县审计局", "supervise", "负责审计监督")}


def test_by_clause_with_two_role_groups_after_a_topic_and_a_partner_before_a_comma():
    found = full("此项工作由县住建局负责、县自然资源局配合，于年底前完成。县应急局会同有关部门，定期开展联合检查。",
                 title_line="xx县工作方案")
    triples = {(a.actor, a.role, a.measure, a.deadline) for a in found}
    assert ("县住建局", "responsible", "完成", "年底前") in triples
    assert ("县自然资源局", "support", "完成", "年底前") in triples
    assert ("县应急局", "responsible", "开展联合检查", "") in triples
    assert ("有关部门", "support", "开展联合检查", "") in triples


def test_lists_with_described_items_a_long_category_and_a_shared_owner():
    found = assignments("国有林场、森工企业、自然保护地管理机构等森林草原经营单位要落实防火主体责任。"
                        "林区居民、进入林区的人员要遵守野外用火管理规定。"
                        "地方各级党委和政府要将防灭火工作纳入年度工作计划。", title_line="国务院办公厅关于加强森林草原防灭火工作的意见")
    for actor in ("国有林场", "森工企业", "自然保护地管理机构"):
        assert (actor, "responsible", "落实防火主体责任") in found
    assert ("进入林区的人员", "responsible", "遵守野外用火管理规定") in found
    assert ("地方各级党委和政府", "responsible", "将防灭火工作纳入年度工作计划") in found


def test_passives_verb_phrases_around_a_noun_and_a_verb_with_people_as_object():
    found = assignments("县教育局被评为全省教育督导工作先进单位。"
                        "各学校要于每学期末向教职工代表大会报告经费收支情况，接受教职工监督。"
                        "市发展改革委负责编制规划，支持符合条件的养老服务项目申报中央预算内投资。",
                        title_line="xx县教育局2025年工作要点")
    assert not any(actor == "县教育局" for actor, _, _ in found)
    assert ("各学校", "responsible", "报告经费收支情况") in found
    assert ("各学校", "responsible", "接受教职工监督") in found
    assert ("市发展改革委", "support", "支持符合条件的养老服务项目申报中央预算内投资") in found
    assert not any(actor in ("接受教职工", "养老服务项目") for actor, _, _ in found)


def test_label_lines_keep_their_actor_across_semicolons_and_duty_lists_after_a_colon():
    found = assignments("2.3 成员单位职责\n县公安局：负责维护停电地区社会治安秩序；协助做好交通疏导和人员疏散工作。\n"
                        "县民政局贯彻落实党中央关于民政工作的方针政策。主要职责是：\n（一）拟订全县民政事业发展规划并组织实施。",
                        title_line="xx县大面积停电事件应急预案")
    assert ("县公安局", "responsible", "负责维护停电地区社会治安秩序") in found
    assert ("县公安局", "support", "协助做好交通疏导和人员疏散工作") in found
    assert ("县民政局", "responsible", "贯彻落实党中央关于民政工作的方针政策") in found
    assert ("县民政局", "responsible", "拟订全县民政事业发展规划并组织实施") in found


def test_a_named_actor_opening_a_list_of_duties_leads_in_its_items():
    found = assignments("驻村工作队主要履行以下职责：\n（一）建强村党组织。推动村党组织书记提升履职能力。\n（二）推进强村富民。帮助村里理清发展思路。",
                        title_line="中共xx县委办公室关于做好驻村帮扶工作的通知")
    assert ("驻村工作队", "responsible", "建强村党组织") in found
    assert ("驻村工作队", "responsible", "帮助村里理清发展思路") in found


def test_one_adverb_repeated_before_each_verb_stays_with_each():
    found = assignments("卫健委要少开会、少培训、少出差。")
    assert {m for _, _, m in found} == {"少开会", "少培训", "少出差"}


def test_jiang_as_will_before_a_verb_or_a_partner():
    found = assignments("各责任单位要对照滞后事项，制定整改措施。市政府督查室将适时开展专项督查。"
                        "文化和旅游部将会同有关部门对落实情况开展跟踪评估。", title_line="xx市人民政府督查室关于重点工作推进情况的通报")
    assert ("各责任单位", "responsible", "制定整改措施") in found
    assert not any(m.startswith("对照") for _, _, m in found)
    assert ("市政府督查室", "supervise", "开展专项督查") in found
    assert ("文化和旅游部", "responsible", "开展跟踪评估") in found
    assert ("有关部门", "support", "开展跟踪评估") in found


def test_rules_in_articles_minutes_closed_by_role_groups_and_described_posts():
    found = assignments("第四条　局党组对本局网络与数据安全工作负主体责任。\n"
                        "第五条　分管网络安全工作的局领导负责组织落实本制度。", title_line="xx市统计局网络与数据安全管理制度")
    assert ("局党组", "responsible", "对本局网络与数据安全工作负主体责任") in found
    assert ("分管网络安全工作的局领导", "responsible", "负责组织落实本制度") in found
    minutes = assignments("会议明确：\n（一）加快推进城中村改造，年内完成剩余108户房屋征收签约工作。由xx街道办事处负责，区司法局配合。",
                          title_line="xx区城市更新工作推进会议纪要")
    assert ("xx街道办事处", "responsible", "完成剩余108户房屋征收签约工作") in minutes
    assert ("区司法局", "support", "完成剩余108户房屋征收签约工作") in minutes


def test_a_speech_announced_in_the_opening_is_no_duty_and_leads_in_nothing():
    found = assignments("刚才，县水利局通报了全县水利建设情况，县委书记***同志还将作重要讲话。\n一、突出重点，推进冬春水利建设。",
                        title_line="在全县冬春农田水利基本建设动员大会上的讲话")
    assert not any(actor == "县委书记" for actor, _, _ in found)
