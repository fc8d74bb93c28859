"""The numbers check on the office's real Chinese: each construction, good and bad, in en ja fr ko."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.languages import DEFAULT_TARGETS
from translators.checks.base import CheckContext
from translators.checks.testing import CheckContract
from translators.checks.values import NOT_COUNTS, read_values
from translators.checks.values_checks import DatesCheck, NumbersCheck
from translators.tmx import read_tmx

MEMORY = Path(__file__).resolve().parents[2] / "content" / "samples" / "memory.tmx"


def errors(source: str, target: str, language: str) -> list[str]:
    """The error messages of the numbers check on one pair."""
    findings = NumbersCheck().check(source, target, CheckContext(language))
    return [f.message for f in findings if f.severity == "error"]


# (construction, source, language, a correct translation)
# fmt: off
GOOD = [
    # Digits before a measure word are counts of the source.
    ("measure words", "其中，2件为咨询，1件为投诉，3件为其他。", "en", "Of these, in 2 cases the request was for advice, 1 was a complaint, and in 3 the matter was another one."),
    ("measure words", "其中，2件为咨询，1件为投诉，3件为其他。", "fr", "Parmi elles, 2 portaient sur des renseignements, 1 était une plainte et 3 concernaient d'autres sujets."),
    ("measure words", "其中，2件为咨询，1件为投诉，3件为其他。", "ja", "このうち2件は相談、1件は苦情、3件はその他であった。"),
    ("measure words", "其中，2件为咨询，1件为投诉，3件为其他。", "ko", "이 중 2건은 문의, 1건은 민원, 3건은 기타였다."),
    ("measure words", "累计发布外文稿件 329 篇，接待来访 86 人次，组织通报会 6 场。", "en", "It published 329 foreign-language articles, received 86 visits and held 6 briefings."),
    ("measure words", "累计发布外文稿件 329 篇，接待来访 86 人次，组织通报会 6 场。", "fr", "Il a publié 329 articles en langues étrangères, reçu 86 visites et tenu 6 réunions d'information."),
    ("measure words", "累计发布外文稿件 329 篇，接待来访 86 人次，组织通报会 6 场。", "ja", "外国語原稿329本を発表し、来訪者86人を受け入れ、説明会を6回開いた。"),
    ("measure words", "累计发布外文稿件 329 篇，接待来访 86 人次，组织通报会 6 场。", "ko", "외국어 원고 329편을 게재하고 방문객 86명을 맞이했으며 설명회를 6회 열었다."),
    ("measure words", "全年网站访问量达 1.2万人次，新增 35 家友好单位、12 所学校。", "en", "The website had 12,000 visits; 35 friendly organisations and 12 schools joined."),
    ("measure words", "在 20 个工作日内答复，有效期 3 年。", "ko", "20영업일 이내에 답변하며 유효기간은 3년이다."),
    # Ordinals: 第四届 = fourth = 4th = quatrième = IVe = 第4回 = 제4차.
    ("ordinals", "第四届中国国际进口博览会", "en", "The Fourth China International Import Expo"),
    ("ordinals", "第四届中国国际进口博览会", "en", "The 4th China International Import Expo"),
    ("ordinals", "第4届中国国际进口博览会", "en", "The fourth China International Import Expo"),
    ("ordinals", "第四届中国国际进口博览会", "fr", "La quatrième Exposition internationale d'importation de Chine"),
    ("ordinals", "第四届中国国际进口博览会", "fr", "La 4e Exposition internationale d'importation de Chine"),
    ("ordinals", "第四届中国国际进口博览会", "fr", "La IVe Exposition internationale d'importation de Chine"),
    ("ordinals", "第四届中国国际进口博览会", "ja", "第4回中国国際輸入博覧会"),
    ("ordinals", "第四届中国国际进口博览会", "ja", "第四回中国国際輸入博覧会"),
    ("ordinals", "第四届中国国际进口博览会", "ko", "제4회 중국국제수입박람회"),
    ("ordinals", "第四届中国国际进口博览会", "ko", "네 번째 중국국제수입박람회"),
    ("ordinals", "十二届市委五次全会", "en", "the Fifth Plenary Session of the 12th CPC Shanghai Municipal Committee"),
    ("ordinals", "十二届市委五次全会", "fr", "la cinquième session plénière du XIIe Comité municipal"),
    ("ordinals", "十二届市委五次全会", "ja", "第12期市委第5回全体会議"),
    ("ordinals", "十二届市委五次全会", "ko", "제12기 시위원회 제5차 전체회의"),
    # Years written digit by digit, with 〇, full-width: a year is a year.
    ("years", "二〇二〇年政府信息公开工作年度报告", "en", "Annual Report on Government Information Disclosure 2020"),
    ("years", "二〇二〇年政府信息公开工作年度报告", "fr", "Rapport annuel 2020 sur la publication des informations gouvernementales"),
    ("years", "二〇二〇年政府信息公开工作年度报告", "ja", "2020年政府情報公開業務年度報告"),
    ("years", "二〇二〇年政府信息公开工作年度报告", "ko", "2020년 정부정보 공개 업무 연례 보고서"),
    ("years", "２０２０年度工作报告", "en", "2020 Work Report"),
    ("years", "令和の2020年度", "ja", "令和2年度"),
    # Chinese numerals that count.
    ("numerals", "收到三件提案，设立十二个项目，招募二十五名志愿者，代表一百零五名。", "en", "It received three proposals, set up twelve projects, recruited 25 volunteers; 105 delegates."),
    ("numerals", "收到三件提案，设立十二个项目，招募二十五名志愿者，代表一百零五名。", "fr", "Il a reçu trois propositions, créé douze projets, recruté vingt-cinq bénévoles ; cent cinq délégués."),
    ("numerals", "收到三件提案，设立十二个项目，招募二十五名志愿者，代表一百零五名。", "ja", "提案3件を受け、12のプロジェクトを設け、ボランティア25名を募集した。代表は105名。"),
    ("numerals", "收到三件提案，设立十二个项目，招募二十五名志愿者，代表一百零五名。", "ko", "제안 세 건을 접수하고 열두 개 프로젝트를 마련했으며 자원봉사자 25명을 모집했다. 대표는 105명이다."),
    ("numerals", "分为内网转外网和外网直接发布两种。", "en", "It takes two forms: intranet items moved to the Internet, and items published directly online."),
    ("numerals", "分为内网转外网和外网直接发布两种。", "ko", "내부망에서 외부망으로 옮겨 게재하는 방식과 외부망에 직접 게재하는 방식의 두 가지로 나뉜다."),
    # Scales: 215.4万 = 2,154,000 = 2.154 million = 215万4千 = 215만 4천 = 2,154 millions (fr).
    ("scales", "共计215.4万字（词）。", "en", "2.154 million words and characters in all."),
    ("scales", "共计215.4万字（词）。", "en", "2,154,000 words and characters in all."),
    ("scales", "共计215.4万字（词）。", "fr", "2,154 millions de mots et caractères au total."),
    ("scales", "共计215.4万字（词）。", "fr", "2 154 000 mots et caractères au total."),
    ("scales", "共计215.4万字（词）。", "ja", "計215万4千字（語）。"),
    ("scales", "共计215.4万字（词）。", "ja", "計215.4万字（語）。"),
    ("scales", "共计215.4万字（词）。", "ko", "총 215만 4천 자(단어)."),
    ("scales", "共计215万4千字（词）。", "ko", "총 2,154,000자(단어)."),
    ("scales", "收入预算总额21586.42万元。", "en", "Total revenue budget: RMB 215,864,200."),
    ("scales", "收入预算总额21586.42万元。", "fr", "Budget total des recettes : 215,8642 millions de yuans."),
    ("scales", "收入预算总额21586.42万元。", "ja", "収入予算総額は2億1586万4200元。"),
    ("scales", "收入预算总额21586.42万元。", "ko", "수입 예산 총액 2억 1586만 4200위안."),
    ("scales", "总投资约3.5亿元。", "en", "Total investment of about RMB 350 million."),
    ("scales", "总投资约3.5亿元。", "fr", "Un investissement total d'environ 350 millions de yuans."),
    ("scales", "总投资约3.5亿元。", "ja", "総投資額は約3.5億元。"),
    ("scales", "总投资约3.5亿元。", "ko", "총투자액 약 3억 5천만 위안."),
    # Percentages and decimals in each language's notation.
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "en", "accounting for 38.6%, 21.3%, 22.5% and 17.6% respectively."),
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "fr", "soit respectivement 38,6 %, 21,3 %, 22,5 % et 17,6 %."),
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "ja", "それぞれ38.6％、21.3％、22.5％、17.6％を占めた。"),
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "ko", "각각 38.6%, 21.3%, 22.5%, 17.6%를 차지했다."),
    ("notation", "网站总访问量达13568723次。", "en", "The website had 13,568,723 visits."),
    ("notation", "网站总访问量达13568723次。", "fr", "Le site a reçu 13\u202f568\u202f723 visites."),
    ("notation", "网站总访问量达13568723次。", "fr", "Le site a reçu 13\u00a0568\u00a0723 visites."),
    ("notation", "网站总访问量达13568723次。", "fr", "Le site a reçu 13 568 723 visites."),
    ("notation", "网站总访问量达13568723次。", "ja", "ウェブサイトの総アクセス数は1356万8723回に達した。"),
    ("notation", "网站总访问量达13568723次。", "ko", "웹사이트 총 방문 수는 13,568,723회였다."),
    ("notation", "同比增长百分之三十八点六。", "en", "Up 38.6% year on year."),
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "fr", "soit respectivement 38,6\u202f%, 21,3\u00a0%, 22,5\u202f% et 17,6\u00a0%."),
    ("ranges", "3至5个工作日内办结。", "en", "Processed within 3-5 working days."),
    ("ranges", "3至5个工作日内办结。", "en", "Processed within three to five working days."),
    ("ranges", "5至3个工作日内办结。", "en", "Processed within 3–5 working days."),
    ("ranges", "三至五个工作日内办结。", "en", "Processed within 3 to 5 working days."),
    ("ranges", "3至5个工作日内办结。", "fr", "Traitement sous 3 à 5 jours ouvrables."),
    ("ranges", "三至五个工作日内办结。", "fr", "Traitement sous trois à cinq jours ouvrables."),
    ("ranges", "3至5个工作日内办结。", "ja", "3～5営業日以内に処理する。"),
    ("ranges", "3至5个工作日内办结。", "ko", "3~5영업일 이내에 처리한다."),
    # Numbers as words in the translation stand for the source's value.
    ("words", "设立三个子栏目，有效期为三年，最多二十人。", "en", "It has three sub-columns, is valid for three years and takes at most twenty people."),
    ("words", "设立三个子栏目，有效期为三年，最多二十人。", "fr", "Elle compte trois sous-rubriques, est valable trois ans et accueille au plus vingt personnes."),
    ("words", "设立三个子栏目，有效期为三年，最多二十人。", "ja", "三つのサブコラムを設け、有効期間は3年、定員は最大20人。"),
    ("words", "设立三个子栏目，有效期为三年，最多二十人。", "ko", "세 개의 하위 코너를 두며 유효기간은 3년, 최대 스무 명이다."),
    ("words", "收到申请一百件、一千份。", "en", "One hundred applications and a thousand copies were received."),
    ("words", "首届论坛和第二届论坛", "en", "the first and second forums"),
    ("words", "首届论坛和第二届论坛", "fr", "le premier et le deuxième forums"),
    ("words", "共收到政府信息公开申请 3 件，其中一件为国家秘密。", "fr", "Le Bureau a reçu 3 demandes, dont une concernait un secret d'État."),
    ("words", "共收到政府信息公开申请 3 件，其中一件为国家秘密。", "ko", "정보공개 신청 3건을 접수했으며 그중 한 건은 국가기밀이었다."),
    ("words", "共收到政府信息公开申请 3 件，其中一件为国家秘密。", "ja", "申請を3件受け付け、うち一つは国家秘密であった。"),
    # Enumeration markers are no numbers that must appear.
    ("markers", "一是加强领导，二是完善制度，三是强化监督。", "en", "First, leadership is strengthened; second, rules are improved; and third, oversight is tightened."),
    ("markers", "一是加强领导，二是完善制度，三是强化监督。", "en", "Leadership is strengthened, rules are improved and oversight is tightened."),
    ("markers", "一是加强领导，二是完善制度，三是强化监督。", "fr", "Premièrement, renforcer la direction ; deuxièmement, améliorer les règles ; troisièmement, renforcer le contrôle."),
    ("markers", "一是加强领导，二是完善制度，三是强化监督。", "ja", "第一に指導を強化し、第二に制度を整え、第三に監督を強める。"),
    ("markers", "一是加强领导，二是完善制度，三是强化监督。", "ko", "첫째, 지도를 강화하고 둘째, 제도를 보완하며 셋째, 감독을 강화한다."),
    ("markers", "（一）主动公开政府信息情况", "en", "(1) Proactive disclosure of government information"),
    ("markers", "（一）主动公开政府信息情况", "en", "I. Proactive disclosure of government information"),
    ("markers", "（一）主动公开政府信息情况", "fr", "Publication proactive des informations gouvernementales"),
    ("markers", "（二）依申请公开政府信息情况", "ja", "（二）申請に基づく政府情報公開の状況"),
    ("markers", "二、依申请公开情况", "ko", "2. 신청에 따른 공개 현황"),
    ("markers", "3) 《上海市人民政府公报》；", "ko", "3) 「상하이시 인민정부 공보」;"),
    ("markers", "三、请广大市民和企业提高警惕。", "en", "Third, members of the public and businesses are urged to stay alert."),
    # Words whose numerals are not numbers.
    ("not counts", "一年来，市政府外办持续优化领事认证服务，办理时限进一步压缩。", "en", "Over the past year, the Office kept improving its consular legalization service and further shortened processing times."),
    ("not counts", "一年来，市政府外办持续优化领事认证服务，办理时限进一步压缩。", "fr", "Au cours de l'année écoulée, le Bureau a continué d'améliorer son service et a encore réduit les délais."),
    ("not counts", "一年来，市政府外办持续优化领事认证服务，办理时限进一步压缩。", "ja", "この1年間、市外事弁公室は領事認証サービスの改善を続け、処理期間をさらに短縮した。"),
    ("not counts", "一年来，市政府外办持续优化领事认证服务，办理时限进一步压缩。", "ko", "지난 1년간 외사판공실은 영사인증 서비스를 지속적으로 개선하고 처리 기간을 더욱 단축했다."),
    ("not counts", "统一对外发布，实行一站式服务，高效办成一件事。", "en", "Information is published in a unified way through a one-stop service that gets things done efficiently."),
    ("not counts", "统一对外发布，实行一站式服务，高效办成一件事。", "fr", "Les informations sont publiées de manière unifiée, avec un guichet unique efficace."),
    ("not counts", "统一对外发布，实行一站式服务，高效办成一件事。", "ja", "統一して対外発表し、ワンストップサービスを実施する。"),
    ("not counts", "统一对外发布，实行一站式服务，高效办成一件事。", "ko", "통일적으로 대외 발표하고 원스톱 서비스를 시행한다."),
    ("not counts", "各方一致同意一律按一般程序办理，一些事项一起推进，万一有变及时报告。", "en", "All parties agreed that matters follow the ordinary procedure and are handled together; any change is reported at once."),
    ("not counts", "推进“一带一路”建设，这是唯一的办法。", "fr", "Faire progresser les Nouvelles routes de la soie : c'est la seule voie."),
    ("not counts", "这项工作十分重要，关系百姓切身利益。", "ko", "이 업무는 매우 중요하며 시민들의 이익과 직결된다."),
    ("not counts", "2025年“三公”经费预算数为3127.60万元。", "en", "The 2025 budget for the “three public expenses” is RMB 31.276 million."),
    ("not counts", "2025年“三公”经费预算数为3127.60万元。", "ja", "2025年度の「三公」経費の予算額は3127万6000元である。"),
    ("not counts", "本市已与五大洲多个国家的城市建立友好城市关系。", "en", "Shanghai has sister cities on every continent."),
    ("not counts", "组织第三方机构进行社会评议。", "fr", "faire réaliser des évaluations publiques par des organismes tiers."),
    ("not counts", "中日韩三国外长会议在釜山举行。", "en", "The foreign ministers of China, Japan and the ROK met in Busan."),
    ("not counts", "长三角三省一市共同推进。", "fr", "Shanghai et les provinces du Jiangsu, du Zhejiang et de l'Anhui avancent ensemble."),
    ("not counts", "上世纪80年代以来", "en", "Since the 1980s"),
    ("not counts", "上世纪80年代以来", "ko", "1980년대 이후"),
    # Times of day on a 12-hour clock.
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "en", "Please call on working days from 9 a.m. to 11.30 a.m. or from 1.30 p.m. to 5 p.m."),
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "en", "Please call on working days, 9:00–11:30 and 13:30–17:00."),
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "fr", "Appelez les jours ouvrables de 9 h à 11 h 30 et de 13 h 30 à 17 h."),
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "ja", "平日9時～11時30分、13時30分～17時にお電話ください。"),
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "ko", "평일 오전 9시~11시 30분, 오후 1시 30분~5시에 전화해 주십시오."),
    ("times", "中午12时截止。", "en", "The deadline is noon."),
    ("times", "中午12时截止。", "fr", "La date limite est midi."),
    ("codes", "(文件编号: WBMSC002-V3. 2)", "en", "(Document No.: WBMSC002-V3.2)"),
    ("codes", "新冠肺炎疫情防控", "ko", "코로나19 방역"),
    ("codes", "新冠肺炎疫情防控", "en", "COVID-19 prevention and control"),
    ("codes", "(文件编号: WBMSC002-V3. 2)", "fr", "(Référence : WBMSC002-V3. 2)"),
    ("codes", "G20峰会在杭州举行。", "ja", "G20サミットが杭州で開かれた。"),
    ("codes", "2024年第三季度", "en", "Q3 2024"),
]

# (construction, source, language, a wrong translation, what the message must say)
BAD = [
    ("measure words", "其中，2件为咨询，1件为投诉，3件为其他。", "en", "Of these, in 2 cases the request was for advice, 1 was a complaint, and in 4 another.", "the source has 3; the translation has 4"),
    ("measure words", "其中，2件为咨询，1件为投诉，3件为其他。", "fr", "Parmi elles, 2 portaient sur des renseignements et 3 concernaient d'autres sujets.", "the source has 1"),
    ("measure words", "其中，2件为咨询，1件为投诉，3件为其他。", "ja", "このうち2件は相談、1件は苦情、5件はその他であった。", "the source has 3; the translation has 5"),
    ("measure words", "累计发布外文稿件 329 篇，接待来访 86 人次，组织通报会 6 场。", "ko", "외국어 원고 392편을 게재하고 방문객 86명을 맞이했으며 설명회를 6회 열었다.", "the source has 329; the translation has 392"),
    ("ordinals", "第四届中国国际进口博览会", "en", "The Fifth China International Import Expo", "the source has 第四 (4); the translation has Fifth (5)"),
    ("ordinals", "第四届中国国际进口博览会", "fr", "La Ve Exposition internationale d'importation de Chine", "the source has 第四 (4); the translation has Ve (5)"),
    ("ordinals", "第四届中国国际进口博览会", "ja", "第5回中国国際輸入博覧会", "the source has 第四 (4); the translation has 5"),
    ("ordinals", "第四届中国国际进口博览会", "ko", "제3차 중국국제수입박람회", "the source has 第四 (4); the translation has 3"),
    ("ordinals", "十二届市委五次全会", "en", "the Fifth Plenary Session of the 11th CPC Shanghai Municipal Committee", "the source has 十二 (12); the translation has 11"),
    ("years", "二〇二〇年政府信息公开工作年度报告", "en", "Annual Report on Government Information Disclosure 2021", "the source has 二〇二〇 (2020); the translation has 2021"),
    ("years", "二〇二〇年政府信息公开工作年度报告", "fr", "Rapport annuel 2002 sur la publication des informations gouvernementales", "the translation has 2002"),
    ("years", "二〇二〇年政府信息公开工作年度报告", "ja", "2002年政府情報公開業務年度報告", "the translation has 2002"),
    ("years", "２０２０年度工作报告", "ko", "2021년도 업무 보고", "the source has ２０２０ (2020); the translation has 2021"),
    ("numerals", "收到三件提案，设立十二个项目，招募二十五名志愿者，代表一百零五名。", "en", "It received four proposals, set up twelve projects, recruited 25 volunteers; 105 delegates.", "the source has 三 (3); the translation has four (4)"),
    ("numerals", "收到三件提案，设立十二个项目，招募二十五名志愿者，代表一百零五名。", "fr", "Il a reçu trois propositions, créé douze projets, recruté vingt-cinq bénévoles ; 150 délégués.", "the source has 一百零五 (105); the translation has 150"),
    ("numerals", "收到三件提案，设立十二个项目，招募二十五名志愿者，代表一百零五名。", "ja", "提案3件を受け、12のプロジェクトを設け、ボランティア52名を募集した。代表は105名。", "the source has 二十五 (25); the translation has 52"),
    ("numerals", "收到三件提案，设立十二个项目，招募二十五名志愿者，代表一百零五名。", "ko", "제안 세 건을 접수하고 자원봉사자 25명을 모집했다. 대표는 105명이다.", "the source has 十二 (12)"),
    ("scales", "共计215.4万字（词）。", "en", "215.4 words and characters in all.", "the source has 215.4万 (2,154,000); the translation has 215.4"),
    ("scales", "共计215.4万字（词）。", "en", "2,154 million words and characters in all.", "the source has 215.4万 (2,154,000); the translation has 2,154 million (2,154,000,000)"),
    ("scales", "共计215.4万字（词）。", "fr", "215,4 mots et caractères au total.", "the translation has 215,4 (215.4)"),
    ("scales", "共计215.4万字（词）。", "ja", "計215.4億字（語）。", "the translation has 215.4億 (21,540,000,000)"),
    ("scales", "共计215.4万字（词）。", "ko", "총 215.4자(단어).", "the scale 万 is lost"),
    ("scales", "收入预算总额21586.42万元。", "ko", "수입 예산 총액 2억 1586만 4300위안.", "the source has 21586.42万 (215,864,200)"),
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "en", "accounting for 38.6%, 21.3%, 25.5% and 17.6% respectively.", "the source has 22.5; the translation has 25.5"),
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "fr", "soit respectivement 38,6 %, 21,3 %, 22,5 % et 16,7 %.", "the source has 17.6; the translation has 16,7 (16.7)"),
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "ja", "それぞれ38.6％、21.3％、22.5％、17.7％を占めた。", "the translation has 17.7"),
    ("notation", "分别占38.6%、21.3%、22.5%和17.6%。", "ko", "각각 36.8%, 21.3%, 22.5%, 17.6%를 차지했다.", "the source has 38.6; the translation has 36.8"),
    ("ranges", "3至5个工作日内办结。", "en", "Processed within 3-7 working days.", "the source has 5; the translation has 7"),
    ("ranges", "三至五个工作日内办结。", "fr", "Traitement sous deux à cinq jours ouvrables.", "the source has 三 (3); the translation has deux (2)"),
    ("ranges", "3至5个工作日内办结。", "ja", "3～10営業日以内に処理する。", "the translation has 10"),
    ("ranges", "3至5个工作日内办结。", "ko", "3~15영업일 이내에 처리한다.", "the translation has 15"),
    ("words", "设立三个子栏目，有效期为三年，最多二十人。", "en", "It has four sub-columns, is valid for three years and takes at most twenty people.", "the translation has four (4)"),
    ("words", "设立三个子栏目，有效期为三年，最多二十人。", "fr", "Elle compte trois sous-rubriques, est valable trois ans et accueille au plus trente personnes.", "the source has 二十 (20); the translation has trente (30)"),
    ("words", "设立三个子栏目，有效期为三年，最多二十人。", "ja", "三つのサブコラムを設け、有効期間は5年、定員は最大20人。", "the translation has 5"),
    ("words", "设立三个子栏目，有效期为三年，最多二十人。", "ko", "네 개의 하위 코너를 두며 유효기간은 3년, 최대 스무 명이다.", "the translation has 네 (4)"),
    ("markers", "（三）信息管理情况", "en", "(4) Information management", "the source numbers this item 三 (3); the translation numbers it 4"),
    ("markers", "（三）信息管理情况", "fr", "IV. Gestion de l'information", "the translation numbers it IV (4)"),
    ("markers", "二、主动公开政府信息情况", "ja", "三、政府情報の自主的公開の状況", "the source numbers this item 二 (2); the translation numbers it 三 (3)"),
    ("markers", "3) 《上海市人民政府公报》；", "ko", "4) 「상하이시 인민정부 공보」;", "the source numbers this item 3; the translation numbers it 4"),
    ("markers", "三、请广大市民和企业提高警惕。", "en", "Fourth, members of the public and businesses are urged to stay alert.", "the translation numbers it Fourth (4)"),
    ("markers", "一是加强领导，二是完善制度。", "ja", "第二に指導を強化し、第三に制度を整える。", "the source numbers this item 一 (1); the translation numbers it 二 (2)"),
    ("not counts", "2025年“三公”经费预算数为3127.60万元。", "en", "The 2025 budget for the “four public expenses” is RMB 31.276 million.", "the source has 三公 (3); the translation has four (4)"),
    ("not counts", "本市已与五大洲多个国家的城市建立友好城市关系。", "fr", "Shanghai a des villes jumelées sur les six continents.", "the source has 五 (5); the translation has six (6)"),
    ("not counts", "今年一季度完成了迁移工作。", "ko", "올해 3분기에 이전 작업을 완료했다.", "the translation has 3"),
    ("not counts", "今年一季度完成了迁移工作。", "ja", "今年の第3四半期に移行作業を完了した。", "the translation has 3"),
    ("not counts", "一年来，市政府外办持续优化领事认证服务。", "en", "Over the past two years, the Office kept improving its consular legalization service.", "the translation has two (2)"),
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "en", "Please call on working days, 9:00–11:30 and 13:30–18:00.", "the source has 17:00; the translation has 18:00"),
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "fr", "Appelez les jours ouvrables de 9 h à 11 h et de 13 h 30 à 17 h.", "the source has 11:30; the translation has 11 h (11:00)"),
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "ja", "平日9時～11時30分、14時30分～17時にお電話ください。", "the source has 13:30; the translation has 14時30分 (14:30)"),
    ("times", "请在工作日9:00—11:30、13:30—17:00致电。", "ko", "평일 오전 10시~11시 30분, 오후 1시 30분~5시에 전화해 주십시오.", "the source has 9:00; the translation has 오전 10시 (10:00)"),
    ("times", "中午12时截止。", "en", "The deadline is 1 p.m.", "the source has 中午12时 (12:00); the translation has 1 p.m. (1:00)"),
    ("codes", "(文件编号: WBMSC002-V3. 2)", "ko", "(문서 번호: WBMSC002-V3. 1)", "the source has the code WBMSC002-V3.2; the translation has WBMSC002-V3.1 in its place"),
    ("codes", "G20峰会在杭州举行。", "en", "The G7 Summit was held in Hangzhou.", "the source has the code G20"),
    ("codes", "G20峰会在杭州举行。", "fr", "Le sommet du G7 s'est tenu à Hangzhou.", "the translation has G7 in its place"),
    ("codes", "G20峰会在杭州举行。", "ja", "杭州でサミットが開かれた。", "the source has the code G20; the translation has no such code"),
    ("dropped", "全年共收到政府信息公开申请5件，答复率100%。", "en", "During the year, the Office received applications and answered all of them.", "the source has 5; the translation has no number of that value"),
    ("dropped", "全年共收到政府信息公开申请5件，答复率100%。", "fr", "Au cours de l'année, 5 demandes ont été reçues et toutes ont obtenu une réponse.", "the source has 100"),
    ("dropped", "全年共收到政府信息公开申请5件，答复率100%。", "ja", "年間で申請を計5件受け付けた。", "the source has 100"),
    ("dropped", "全年共收到政府信息公开申请5件，答复率100%。", "ko", "연간 신청을 접수하여 모두 답변했으며, 답변율은 100%였다.", "the source has 5"),
]
# fmt: on

CONSTRUCTIONS = sorted({row[0] for row in GOOD})


@pytest.mark.parametrize(("construction", "source", "language", "target"), GOOD)
def test_a_correct_rendering_gives_no_error(
    construction: str, source: str, language: str, target: str
) -> None:
    assert errors(source, target, language) == []


@pytest.mark.parametrize(("construction", "source", "language", "target", "said"), BAD)
def test_a_changed_number_is_an_error_that_names_the_source_value(
    construction: str, source: str, language: str, target: str, said: str
) -> None:
    messages = errors(source, target, language)
    assert any(said in message for message in messages), messages


@pytest.mark.parametrize("construction", CONSTRUCTIONS)
def test_every_construction_is_tried_good_and_bad_in_every_language(construction: str) -> None:
    good = {row[2] for row in GOOD if row[0] == construction}
    bad = {row[2] for row in BAD if row[0] == construction}
    assert good == set(DEFAULT_TARGETS), f"good rows of {construction}: {sorted(good)}"
    assert bad == set(DEFAULT_TARGETS), f"bad rows of {construction}: {sorted(bad)}"


def test_one_changed_value_is_one_finding_naming_both_texts() -> None:
    findings = NumbersCheck().check(
        "访客达215.4万人次。", "Visitors reached 215.4.", CheckContext("en")
    )
    assert [(f.severity, f.message) for f in findings] == [
        (
            "error",
            "the source has 215.4万 (2,154,000); the translation has 215.4: "
            "10,000 times too small (the scale 万 is lost)",
        )
    ]


def test_a_four_digit_year_is_shown_as_a_year() -> None:
    [message] = errors("二〇二二年工作报告", "2021 Work Report", "en")
    assert message == "the source has 二〇二二 (2022); the translation has 2021"


def test_a_figure_rounded_to_three_digits_or_more_is_a_warning() -> None:
    findings = NumbersCheck().check(
        "收入预算总额21586.42万元。",
        "Total revenue budget: RMB 215.86 million.",
        CheckContext("en"),
    )
    assert [(f.severity, f.message) for f in findings] == [
        (
            "warning",
            "the source has 21586.42万 (215,864,200); "
            "the translation rounds it to 215.86 million (215,860,000)",
        )
    ]
    assert errors("总额215.4万元。", "RMB 2.2 million.", "en")  # two digits: changed, not rounded


def test_a_year_the_source_names_by_a_word_is_a_warning() -> None:
    findings = NumbersCheck().check(
        "今年共接待代表团3批。", "In 2025, 3 delegations were received.", CheckContext("en")
    )
    assert [f.severity for f in findings] == ["warning"]
    assert "2025" in findings[0].message


@pytest.mark.parametrize(
    ("source", "required", "optional"),
    [
        ("其中一件为国家秘密", [1], []),  # 其中 counts
        ("收到3件申请，另有一件待办", [3, 1], []),  # the sentence counts with 件
        ("这是一个重要平台", [], [1]),  # an article
        ("一年来", [], [1]),
        ("进一步", [], []),
        ("十分钟", [10], []),  # ten minutes, not 十分 "very"
        ("十分重要", [], []),
        ("一千万", [10_000_000], []),
        ("千万不要", [], []),
        ("十四五规划", [], [14, 5]),
        ("数十个国家", [], [10]),
        ("三四个月", [], [3, 4]),
        ("百分之五", [5], []),
        ("三分之一", [], [1 / 3, 1, 3]),
        ("三成", [], [3, 30]),
        ("第二十条", [20], []),
        ("二次审核", [2], []),
        ("较上一年减少一项，共5项", [1, 5], [1]),
    ],
)
def test_which_chinese_numerals_count(
    source: str, required: list[float], optional: list[float]
) -> None:
    reading = read_values(source, "zh")
    assert [f.values[0] for f in reading.figures if f.required] == required
    assert [f.values[0] for f in reading.figures if not f.required] == optional


def test_the_words_that_are_no_counts_are_listed_with_what_they_may_show() -> None:
    for word in (
        "一年来",
        "进一步",
        "统一",
        "一站式",
        "一件事",
        "一起",
        "一致",
        "一律",
        "一般",
        "一些",
        "唯一",
        "万一",
        "一带一路",
    ):
        assert word in NOT_COUNTS
        assert not [f for f in read_values(f"，{word}，", "zh").figures if f.required], word


def test_no_pair_of_the_sample_memory_gives_a_number_or_date_error() -> None:
    checks = (NumbersCheck(), DatesCheck())
    flagged = [
        (unit.source, language, target, finding.message)
        for unit in read_tmx(MEMORY.read_bytes(), path=str(MEMORY))
        for language, target in unit.targets.items()
        for check in checks
        for finding in check.check(unit.source, target, CheckContext(language))
        if finding.severity == "error"
    ]
    assert flagged == []


class TestNumbersCheckOnOfficeText(CheckContract):
    check = NumbersCheck()
    good = [(source, target, language) for _, source, language, target in GOOD]
    bad = [(source, target, language) for _, source, language, target, _ in BAD]
