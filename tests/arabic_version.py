"""A drafted notice held as an Arabic language version, its texts written into the database.

The LibreTranslate stand-in drafts English; tests that need an Arabic version (the desk's review
page, right to left) turn that version into Arabic with careful Arabic texts, as the site tests
write their pages directly.
"""

from __future__ import annotations

from sqlalchemy import select, update

from store.db import transaction
from store.models import LanguageVersion, NoticeVersion, Segment, Translation

# The test notice (tests/notices.py BODY) in Arabic, by Chinese source segment.
ARABIC_TEXTS = {
    "市政府外办召开2025年领事工作通报会": "مكتب الشؤون الخارجية يعقد اجتماع إحاطة العمل القنصلي لعام 2025",
    "会议概况": "لمحة عن الاجتماع",
    "3月3日，市政府外办召开2025年领事工作通报会。": (
        "في 3 مارس، عقد مكتب الشؤون الخارجية في شانغهاي اجتماع إحاطة العمل القنصلي لعام 2025."
    ),
    "各国驻沪领事机构代表约120人出席会议。": (
        "وحضر الاجتماع نحو 120 ممثلا عن البعثات القنصلية في شانغهاي."
    ),
    "会议通报了2024年本市领事工作情况。": "واستعرض الاجتماع العمل القنصلي في المدينة خلال عام 2024.",
    "2024年共办理领事认证文书5.6万份，同比增长12%。": (
        "وفي عام 2024، جرى التصديق القنصلي على 56,000 وثيقة، بزيادة 12% على أساس سنوي."
    ),
    "事项": "البند",
    "数量": "العدد",
    "领事认证": "التصديق القنصلي",
    "5.6万份": "56,000 نسخة",
    "外国人来华邀请": "دعوات الأجانب لزيارة الصين",
    "3200件": "3,200 حالة",
}


def hold_in_arabic(url: str, version_id: int, drafted: str = "en") -> None:
    """Make the version's ``drafted`` language its Arabic one, every text in ARABIC_TEXTS."""
    with transaction(url) as session:
        version = session.get(NoticeVersion, version_id)
        assert version is not None
        version.languages = ["ar" if lang == drafted else lang for lang in version.languages]
        session.execute(
            update(LanguageVersion)
            .where(LanguageVersion.version_id == version_id, LanguageVersion.language == drafted)
            .values(language="ar")
        )
        rows = session.execute(
            select(Segment.source_text, Translation)
            .join(Translation, Translation.segment_id == Segment.id)
            .where(Segment.version_id == version_id, Translation.language == drafted)
        ).all()
        for source, row in rows:
            row.language, row.text, row.findings = "ar", ARABIC_TEXTS[source], []
