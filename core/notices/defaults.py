"""The notices as the product first sends them, in Japanese and English.

The data migration ``core/0002_notice_templates`` writes these into the CMS, where HR edits
them; ``notice_render`` also falls back to them when a kind has no row (a database emptied by
a test, a kind added later), so a notice always goes out whole. Wording follows city-hall
usage: 「受講のお願い」, never 「督促」 (which means tax arrears). Each body greets the person,
says what to do, gives the deadline and the link; the signature and contact follow it
(``DEFAULT_SIGNATURE``).
"""

from .kinds import NoticeKind

CLOSING_JA = "ご不明な点は、下記までお問い合わせください。"
CLOSING_EN = "If you have any questions, please contact us below."

#: kind: (subject_ja, body_ja, subject_en, body_en)
DEFAULT_TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    NoticeKind.ASSIGNMENT: (
        "【研修のご案内】{コース}",
        "{氏名} 様\n\n"
        "次の研修の受講対象になりましたので、お知らせします。\n"
        "下記のリンクから研修を開き、受講期限までに修了してください。\n\n"
        "■ {コース}\n"
        "  受講期限：{期限}\n"
        "  {リンク}\n\n" + CLOSING_JA,
        "Training assigned to you: {コース}",
        "Dear {氏名},\n\n"
        "You have been assigned the training below.\n"
        "Please open it from the link and complete it by its deadline.\n\n"
        "■ {コース}\n"
        "  Deadline: {期限}\n"
        "  {リンク}\n\n" + CLOSING_EN,
    ),
    NoticeKind.REMINDER: (
        "受講期限が近い研修・期限を過ぎた研修のお知らせ",
        "{氏名} 様\n\n"
        "次の研修の受講期限が近づいているか、すでに過ぎています。\n"
        "リンクから研修を開き、受講期限までに修了してください。\n"
        "{一覧}\n" + CLOSING_JA,
        "Your training: due soon and overdue",
        "Dear {氏名},\n\n"
        "The training below is due soon or overdue.\n"
        "Please open it from the link and complete it by its deadline.\n"
        "{一覧}\n" + CLOSING_EN,
    ),
    NoticeKind.REMINDER_MANUAL: (
        "研修の受講のお願い：{コース}（{送信者}）",
        "{氏名} 様\n\n"
        "{送信者}より、研修の受講のお願いです。\n"
        "次の研修をまだ修了していません。お手数ですが、リンクから研修を開き、"
        "受講期限までに修了してください（期限を過ぎている場合は、できるだけ早くお願いします）。\n\n"
        "■ {コース}\n"
        "  受講期限：{期限}（{状況}）\n"
        "  {リンク}\n\n" + CLOSING_JA,
        "Request to take your training: {コース} ({送信者})",
        "Dear {氏名},\n\n"
        "This is a request from {送信者} to take your training.\n"
        "You have not completed the training below yet. Please open it from the link and "
        "complete it by its deadline (as soon as you can if the deadline has passed).\n\n"
        "■ {コース}\n"
        "  Deadline: {期限} ({状況})\n"
        "  {リンク}\n\n" + CLOSING_EN,
    ),
    NoticeKind.ESCALATION: (
        "所属内の期限超過の研修のお知らせ",
        "{氏名} 様\n\n"
        "ご担当の所属に、受講期限を{日数}日以上過ぎても研修を修了していない職員がいます。\n"
        "下記のリンクから受講状況をご確認のうえ、受講を勧めていただきますようお願いいたします。\n"
        "{一覧}\n" + CLOSING_JA,
        "Training overdue in your units",
        "Dear {氏名},\n\n"
        "Staff in the units you look after have not completed training {日数} days or more "
        "after its deadline.\n"
        "Please check their progress from the links below and encourage them to complete it.\n"
        "{一覧}\n" + CLOSING_EN,
    ),
    NoticeKind.REVIEW_APPROVED: (
        "SVOワークシートが承認されました：{ワークシート}",
        "{氏名} 様\n\n"
        "「{ワークシート}」のSVOワークシートが、{確認者}さんにより承認されました。\n"
        "このワークシートについて、これ以上の作業はありません。"
        "下記のリンクからいつでも見ることができます。\n"
        "{コメント}\n"
        "{リンク}\n\n" + CLOSING_JA,
        "Your SVO worksheet was approved: {ワークシート}",
        "Dear {氏名},\n\n"
        'Your SVO worksheet for "{ワークシート}" was approved by {確認者}.\n'
        "There is nothing more to do for this worksheet; you can open it from the link below "
        "at any time.\n"
        "{コメント}\n"
        "{リンク}\n\n" + CLOSING_EN,
    ),
    NoticeKind.REVIEW_RETURNED: (
        "SVOワークシートが差し戻されました：{ワークシート}",
        "{氏名} 様\n\n"
        "「{ワークシート}」のSVOワークシートが、{確認者}さんからコメント付きで差し戻されました。\n"
        "下記のリンクからワークシートを開き、各文に付いたコメントを確認して修正のうえ、"
        "もう一度レビューに提出してください。\n"
        "{コメント}\n"
        "{リンク}\n\n" + CLOSING_JA,
        "Your SVO worksheet was returned: {ワークシート}",
        "Dear {氏名},\n\n"
        'Your SVO worksheet for "{ワークシート}" was returned with comments by {確認者}.\n'
        "Please open it from the link below, read the comments next to your statements, revise "
        "it and submit it for review again.\n"
        "{コメント}\n"
        "{リンク}\n\n" + CLOSING_EN,
    ),
    NoticeKind.CERTIFICATE: (
        "修了証を発行しました：{コース}",
        "{氏名} 様\n\n"
        "「{コース}」の修了、お疲れさまでした。修了証を発行しました。\n"
        "修了日：{修了日}\n"
        "証書番号：{証書番号}\n\n"
        "下記のリンクから修了証（PDF）を開き、印刷や保存ができます。\n"
        "{リンク}\n\n" + CLOSING_JA,
        "Your certificate has been issued: {コース}",
        "Dear {氏名},\n\n"
        'Congratulations on completing "{コース}". Your certificate has been issued.\n'
        "Completed on: {修了日}\n"
        "Serial number: {証書番号}\n\n"
        "You can open, print or save the certificate (PDF) from the link below.\n"
        "{リンク}\n\n" + CLOSING_EN,
    ),
    NoticeKind.SCHEDULED_REPORT: (
        "【研修の定期レポート】{所属}：{コース}（{対象者}）",
        "{氏名} 様\n\n"
        "人事課が設定した、次の研修の定期レポートをお送りします。\n\n"
        "■ 研修：{コース}\n"
        "■ 年度：{年度}\n"
        "■ 所属：{所属}（配下の組織を含みます）\n"
        "■ 対象者：{対象者}\n\n"
        "{受け取り方}\n"
        "{リンク}\n\n"
        "名簿には個人情報が含まれます。所属内で管理し、不要になったら削除してください。\n"
        + CLOSING_JA,
        "Scheduled training report of {所属}: {コース} ({対象者})",
        "Dear {氏名},\n\n"
        "This is the scheduled report of the training below, sent to you as HR arranged.\n\n"
        "■ Course: {コース}\n"
        "■ Fiscal year: {年度}\n"
        "■ Unit: {所属} (with the units below it)\n"
        "■ People: {対象者}\n\n"
        "{受け取り方}\n"
        "{リンク}\n\n"
        "The list holds personal information. Please keep it within your office and delete "
        "it when you no longer need it.\n" + CLOSING_EN,
    ),
}

#: (signature_ja, signature_en): the close of every notice.
DEFAULT_SIGNATURE: tuple[str, str] = (
    "--\n{サイト名}\nお問い合わせ先：{連絡先}\n{サイトURL}/\n"
    "このメールは研修システムから自動で送信しています。",
    "--\n{サイト名}\nQuestions: {連絡先}\n{サイトURL}/\n"
    "This e-mail was sent automatically by the training system.",
)
