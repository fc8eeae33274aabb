"""Report strings in English and French: headings, captions, labels, dates and numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Dict, Optional

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("en", "fr")

# Babel locales of the report's languages: en_GB writes day-month-year ("22 October 2024") like the report.
LOCALES = {"en": "en_GB", "fr": "fr_FR"}

# House style for dates, on top of Babel's month names: "22 October 2024", and in French "1er" for the first
# day of a month ("1er octobre 2024"), which CLDR's French long date ("1 octobre 2024") does not write.
_DATE = "d MMMM y"
_FIRST_OF_MONTH = {"fr": "d'er' MMMM y"}

STRINGS: Dict[str, Dict[str, str]] = {
    "en": {
        "report": "Outcomes report",
        "status": "Status", "draft": "Draft", "final": "Final", "version": "Version", "built": "Date of build",
        "dates": "Dates", "venue": "Venue", "organisers": "Organisers", "languages": "Languages of the sessions",
        "illustrative": "Illustrative content",
        "contents": "Contents",
        "ch_summary": "Executive summary", "ch_themes": "Themes", "ch_sessions": "Session summaries",
        "ch_proposals": "Recommendations and proposals", "ch_participation": "Participation",
        "ch_annexes": "Annexes", "annex_method": "Annex I. Methodology", "annex_provenance": "Annex II. Data provenance",
        "annex_sessions": "Annex III. List of sessions", "annex_warnings": "Annex IV. Warnings raised by the build",
        "key_figures": "Key figures", "key_messages": "Key messages",
        "key_messages_auto": "No key messages have been curated yet: the strongest statement found for each theme is shown.",
        "fig_prominence": "Figure {n}. Prominence of each theme: share of all findings (number of findings)",
        "fig_prominence_alt": "Horizontal bar chart of the share of findings per theme: {values}.",
        "fig_heatmap": "Figure {n}. Findings per session and theme",
        "fig_heatmap_alt": "Heatmap of the number of findings for each session (rows) and theme (columns).",
        "fig_days": "Figure {n}. Findings per theme on each day of the conference",
        "fig_days_alt": "Grouped bar chart of findings per theme for each conference day.",
        "fig_delegations": "Figure {n}. Words spoken by delegation (most active delegations)",
        "fig_delegations_alt": "Bar chart of the words spoken by each of the most active delegations.",
        "fig_cooccurrence": "Figure {n}. Themes found in the same sentence (diagonal: sentences with the theme)",
        "fig_cooccurrence_alt": "Matrix of the number of sentences that carry each pair of themes.",
        "in_context": "in context", "name": "Name", "software": "Software that produced the findings",
        "kind_state": "State", "kind_intergovernmental": "Intergovernmental organisation", "kind_un_body": "UN body",
        "kind_regional": "Regional organisation", "kind_industry": "Industry", "kind_ngo": "Non-governmental organisation",
        "kind_academic": "Academic", "kind_organisation": "Organisation",
        "share_of_findings": "share of findings (%)", "findings_axis": "findings", "words_axis": "words spoken",
        "sessions": "Sessions", "speakers": "Speakers", "delegations": "Delegations", "words": "Words transcribed",
        "findings": "Findings (themed sentences)", "proposals": "Proposals and recommendations",
        "days": "Days",
        "theme_intro": "The theme “{label}” was found in {findings} sentences spoken by {speakers} speakers; it was discussed substantively (three findings or more) in {sessions} of {total} sessions.",
        "theme_scope": "Scope in the codebook",
        "where": "Where it came up", "key_statements": "Key statements", "theme_proposals": "Proposals and recommendations under this theme",
        "no_proposals": "No proposal or recommendation was found under this theme.",
        "drafted_note": "Drafted from the data, for the rapporteur to review: curation.yml has no executive summary. Each statement below is assembled from the report's own figures and links to what it rests on.",
        "drafted_theme": "{label} came up {where}, in {findings} sentences from {speakers} speakers and {delegations} delegations.",
        "drafted_sessions": "substantively in {n} sessions ({sessions})",
        "drafted_no_sessions": "in no session substantively (three findings or more)",
        "drafted_point": "{label} ({n} findings; sessions {sessions})",
        "drafted_points": "The points raised most often: {points}.",
        "drafted_proposals": "Recommendations include {ids}.",
        "subtopics": "Points raised",
        "subtopics_intro": "The theme's findings grouped by the point they make; each point is named with its own most distinctive words, and shown with its most central statements.",
        "subtopic_intro": "{findings} findings from {speakers} speakers in sessions {sessions}; raised by {delegations}.",
        "no_subtopics": "Too few findings under this theme to group them into points.",
        "and_more": "{items} and {n} more",
        "positions": "Positions by delegation", "explorer": "Findings explorer",
        "also_spoke": "Also spoke to the theme, with fewer than {n} findings each (number of findings)",
        "positions_intro": "Each delegation and organisation that spoke to the theme, with the words of its statements on it and its most representative statement.",
        "statement": "Most representative statement",
        "differences": "Points of difference",
        "differences_intro": "Statements of different delegations on one point, where one denies what the other affirms. The rule is deliberately strict; the methodology annex says how it was checked.",
        "no_differences": "No statements on one point were found to contradict each other under the strict rule used.",
        "see_paragraph": "quoted at paragraph {n}",
        "theme_proposals_note": "{n} recommendations and proposals under this theme: see the chapter on recommendations.",
        "proposals_more": "{n} more under this theme are in the findings explorer of the HTML report and in findings.csv.",
        "no_key_statements": "No finding under this theme reaches the precision required of a key statement (see the methodology annex), and the rapporteur has pinned none. Its findings are in the explorer and the exports.",
        "session": "Session", "speaker": "Speaker", "delegation": "Delegation", "time": "Time", "date": "Date",
        "chair": "Chair", "panellists": "Panellists", "language": "Language", "themes": "Themes",
        "key_quotes": "Key quotes", "title": "Title", "format": "Format", "turns": "Turns", "share": "Share",
        "theme": "Theme", "count": "Count", "kind": "Kind",
        "session_intro": "Chaired by {chair}. {speakers} speakers, {words} words transcribed. Main themes: {themes}.",
        "no_themes": "no theme reached the threshold",
        "proposals_intro": "Sentences found to propose, recommend, call for, urge or commit, grouped by theme: under each theme, the most confident recommendation of each speaker first, in the order they were made. The full list is in the findings explorer of the HTML report and in findings.csv. A sentence that carries no theme (such as a procedural proposal) is not listed.",
        "unattributed": "{words} words ({share} of all words) were not attributed to a named speaker, in {count} sessions: {sessions}. They are not counted as a speaker; name the speakers in the manifest (speaker: for a statement read by one person, speakers: to map labels) to attribute them.",
        "participation_intro": "{speakers} speakers from {delegations} delegations and organisations took the floor. Speaking is measured in words transcribed, because not every transcript format records time.",
        "states_named": "States and organisations named in the sessions",
        "mentions": "Mentions",
        "method_points": "Each theme's findings were grouped into points (sub-topics) by the words they share: word stems that meet across English and French, with a small glossary, weighted by how distinctive they are within the theme, then grouped by k-means and merged where alike. A point is named with its own most distinctive words, not with generated text. Key statements are chosen among confident findings for diversity of speakers, delegations, sessions and points (maximal marginal relevance). A point of difference is listed only where, on one point, one delegation denies in so many words what another affirms; this strict rule misses oppositions worded without a negation. Both were measured against a reading of the outcomes sample conference by hand (benchmarks/subtopics.py in the outcomes repository): the grouping agrees only weakly with a reader's finer points.",
        "method_pipeline": "Pipeline", "method_models": "Models", "method_codebook": "Codebook",
        "method_accuracy": "Accuracy",
        "method_text": "Each transcript was read into speaker turns (speaker, delegation, time, source line), split into sentences by a trained spaCy pipeline in the session's language, and each sentence was matched against the theme codebook: cues are codebook terms found as written or through their lemma, weighted strong (0.9), medium (0.6) or weak (0.3); a theme's score is 1 − ∏(1 − w) over its distinct cues (one per lemma), and a sentence carries the theme when the score reaches its threshold ({threshold} unless the codebook sets the theme's own) and the theme's subject is in view: the codebook's anchor groups (for chemical terrorism, a chemical link and a non-State actor; for verification, chemical weapons) stand in the sentence or the few before it in the turn, or (except for chemical terrorism, which needs both) a strong cue names the subject. Sentences about the venue or logistics (codebook exclusion words) carry no theme. Proposals are found with lemma patterns (recommend, propose, call on, urge, commit, should); procedural sentences (giving the floor, the agenda, thanks) are never key statements or recommendations. Quotes are verbatim and stay in their original language.",
        "accuracy_text": "The accuracy of theme extraction has not been measured for this codebook (no annotated held-out data); treat the findings as leads to verify against the quoted turn, which every finding cites.",
        "accuracy_realtext": "First, on real speech nobody on the team wrote: {paragraphs} paragraphs ({per_language}) of United Nations General Debate statements and French official statements, each labelled by two annotators, in a test part frozen before any tuning. A paragraph carries the themes of its sentences. F1 is given with a 95% bootstrap interval over paragraphs; the target is a macro-F1 of at least {macro}.",
        "accuracy_realtext_absent": "The real-speech test sets were not on the machine that built this report, so its accuracy on real speech is not shown here; see docs/realtext-evaluation.md in the outcomes repository.",
        "f1_interval": "F1 [95% interval]",
        "accuracy_measured": "Second, theme extraction was measured on a held-out set of {sentences} annotated sentences ({per_language}), written and annotated for this project following written guidelines, and never used to tune the codebook or train the classifier. Precision, recall and F1 are per theme; kappa is Cohen's kappa between the extraction and the gold labels. The targets are a macro-F1 of at least {macro} in each language and no theme below {theme}.",
        "classifier_text": "Besides the codebook, a small classifier (spaCy textcat_multilabel, bag of words and word pairs) trained on separate development sets (annotated sentences, and real-speech paragraphs never used for testing) adds its probability p to each theme: the sentence's score is 1 − (1 − codebook score)(1 − {weight} p). It is listed among the cues of a finding as “classifier”.",
        "precision": "Precision", "recall": "Recall", "f1": "F1", "kappa": "Kappa", "support": "Sentences with the theme",
        "key_point_text": "Key statements are chosen only from findings whose score reaches their theme's operating point in the finding's language: the lowest score from which at least {precision} of the findings on the real-speech development paragraphs were on the theme (over at least {support} findings). Where no score reaches it, the theme's key statements are only those the rapporteur pins. Each finding's confidence (in the exports) is its score calibrated on the same development paragraphs: 0.8 means that 8 in 10 findings scored so were on the theme.",
        "operating_point": "Operating point", "dev_precision": "Development precision", "dev_findings": "Findings at or above",
        "no_point": "none reaches it",
        "support_paragraphs": "Paragraphs with the theme",
        "terms": "terms", "threshold": "Threshold",
        "provenance_text": "Every input file of this build, with its SHA-256 hash. Rebuilding from files with the same hashes gives the same findings.",
        "role": "Role", "path": "File", "package": "Package", "spacy": "spaCy", "components": "Components",
        "no_warnings": "The build raised no warning.",
        "warnings_text": "Oddities met while reading the inputs. None stopped the build.",
        "said_by": "{speaker}{delegation}, session {session}{time}",
        "summary_auto": "The conference held {sessions} sessions over {days} days in {languages} languages; {speakers} speakers from {delegations} delegations and organisations took the floor, and {words} words were transcribed. Of the four themes, {top} was the most prominent ({share} of findings).",
        "summary_auto_undated": "The conference held {sessions} sessions in {languages} languages; {speakers} speakers from {delegations} delegations and organisations took the floor, and {words} words were transcribed. Of the four themes, {top} was the most prominent ({share} of findings).",
    },
    "fr": {
        "report": "Rapport sur les résultats",
        "status": "Statut", "draft": "Projet", "final": "Version finale", "version": "Version",
        "built": "Date de production",
        "dates": "Dates", "venue": "Lieu", "organisers": "Organisateurs", "languages": "Langues des séances",
        "illustrative": "Contenu d'illustration",
        "contents": "Table des matières",
        "ch_summary": "Résumé analytique", "ch_themes": "Thèmes", "ch_sessions": "Résumés des séances",
        "ch_proposals": "Recommandations et propositions", "ch_participation": "Participation",
        "ch_annexes": "Annexes", "annex_method": "Annexe I. Méthodologie", "annex_provenance": "Annexe II. Provenance des données",
        "annex_sessions": "Annexe III. Liste des séances", "annex_warnings": "Annexe IV. Avertissements de la production",
        "key_figures": "Chiffres clés", "key_messages": "Messages clés",
        "key_messages_auto": "Aucun message clé n'a encore été choisi par le rapporteur : la déclaration la plus marquante de chaque thème est présentée.",
        "fig_prominence": "Figure {n}. Place de chaque thème : part des constats (nombre de constats)",
        "fig_prominence_alt": "Diagramme en barres de la part des constats par thème : {values}.",
        "fig_heatmap": "Figure {n}. Constats par séance et par thème",
        "fig_heatmap_alt": "Carte de chaleur du nombre de constats par séance (lignes) et par thème (colonnes).",
        "fig_days": "Figure {n}. Constats par thème pour chaque journée de la conférence",
        "fig_days_alt": "Diagramme en barres groupées des constats par thème pour chaque journée.",
        "fig_delegations": "Figure {n}. Mots prononcés par délégation (délégations les plus actives)",
        "fig_delegations_alt": "Diagramme en barres des mots prononcés par les délégations les plus actives.",
        "fig_cooccurrence": "Figure {n}. Thèmes relevés dans une même phrase (diagonale : phrases portant le thème)",
        "fig_cooccurrence_alt": "Matrice du nombre de phrases portant chaque paire de thèmes.",
        "in_context": "en contexte", "name": "Nom", "software": "Logiciels qui ont produit les constats",
        "kind_state": "État", "kind_intergovernmental": "Organisation intergouvernementale", "kind_un_body": "Organe des Nations Unies",
        "kind_regional": "Organisation régionale", "kind_industry": "Industrie", "kind_ngo": "Organisation non gouvernementale",
        "kind_academic": "Milieu universitaire", "kind_organisation": "Organisation",
        "share_of_findings": "part des constats (%)", "findings_axis": "constats", "words_axis": "mots prononcés",
        "sessions": "Séances", "speakers": "Intervenants", "delegations": "Délégations", "words": "Mots transcrits",
        "findings": "Constats (phrases thématiques)", "proposals": "Propositions et recommandations",
        "days": "Journées",
        "theme_intro": "Le thème « {label} » a été relevé dans {findings} phrases prononcées par {speakers} intervenants ; il a été traité de façon substantielle (au moins trois constats) dans {sessions} des {total} séances.",
        "theme_scope": "Champ du thème dans le guide de codage",
        "where": "Où le thème a été abordé", "key_statements": "Déclarations clés",
        "theme_proposals": "Propositions et recommandations relevant de ce thème",
        "no_proposals": "Aucune proposition ni recommandation n'a été relevée pour ce thème.",
        "drafted_note": "Rédigé à partir des données, à revoir par le rapporteur : curation.yml ne contient pas de résumé. Chaque énoncé ci-dessous est assemblé à partir des chiffres du rapport et renvoie à ce qui le fonde.",
        "drafted_theme": "« {label} » a été traité {where}, en {findings} phrases de {speakers} intervenants et {delegations} délégations.",
        "drafted_sessions": "de façon substantielle dans {n} séances ({sessions})",
        "drafted_no_sessions": "de façon substantielle dans aucune séance (au moins trois constats)",
        "drafted_point": "{label} ({n} constats ; séances {sessions})",
        "drafted_points": "Points les plus souvent soulevés : {points}.",
        "drafted_proposals": "Parmi les recommandations : {ids}.",
        "subtopics": "Points soulevés",
        "subtopics_intro": "Les constats du thème regroupés selon le point qu'ils font valoir ; chaque point est nommé par ses propres mots les plus distinctifs et illustré par ses déclarations les plus centrales.",
        "subtopic_intro": "{findings} constats de {speakers} intervenants dans les séances {sessions} ; soulevé par {delegations}.",
        "no_subtopics": "Trop peu de constats dans ce thème pour les regrouper en points.",
        "and_more": "{items} et {n} autres",
        "positions": "Positions par délégation", "explorer": "Explorateur des constats",
        "also_spoke": "Se sont aussi exprimées sur le thème, avec moins de {n} constats chacune (nombre de constats)",
        "positions_intro": "Chaque délégation et organisation qui s'est exprimée sur le thème, avec le nombre de mots de ses déclarations sur ce thème et sa déclaration la plus représentative.",
        "statement": "Déclaration la plus représentative",
        "differences": "Points de divergence",
        "differences_intro": "Déclarations de délégations différentes sur un même point, l'une niant ce que l'autre affirme. La règle est volontairement stricte ; l'annexe méthodologique indique comment elle a été vérifiée.",
        "no_differences": "Aucune déclaration sur un même point n'a été trouvée en contradiction avec une autre selon la règle stricte retenue.",
        "see_paragraph": "citée au paragraphe {n}",
        "theme_proposals_note": "{n} recommandations et propositions relèvent de ce thème : voir le chapitre des recommandations.",
        "proposals_more": "{n} autres relevant de ce thème figurent dans l'explorateur des constats du rapport HTML et dans findings.csv.",
        "no_key_statements": "Aucun constat de ce thème n'atteint la précision exigée d'une déclaration clé (voir l'annexe méthodologique), et le rapporteur n'en a épinglé aucun. Ses constats figurent dans l'explorateur et les exports.",
        "session": "Séance", "speaker": "Intervenant", "delegation": "Délégation", "time": "Heure", "date": "Date",
        "chair": "Présidence", "panellists": "Intervenants", "language": "Langue", "themes": "Thèmes",
        "key_quotes": "Citations clés", "title": "Titre", "format": "Format", "turns": "Interventions", "share": "Part",
        "theme": "Thème", "count": "Nombre", "kind": "Type",
        "session_intro": "Présidence : {chair}. {speakers} intervenants, {words} mots transcrits. Thèmes principaux : {themes}.",
        "no_themes": "aucun thème n'atteint le seuil",
        "proposals_intro": "Phrases qui proposent, recommandent, appellent, exhortent ou engagent, regroupées par thème : pour chaque thème, la recommandation la plus sûre de chaque intervenant d'abord, dans l'ordre où elles ont été faites. La liste complète figure dans l'explorateur des constats du rapport HTML et dans findings.csv. Une phrase sans thème (une proposition de procédure, par exemple) n'est pas reprise.",
        "unattributed": "{words} mots ({share} de l'ensemble) n'ont été attribués à aucun intervenant nommé, dans {count} séances : {sessions}. Ils ne comptent pas comme un intervenant ; nommez les intervenants dans le manifeste (speaker: pour une déclaration lue par une seule personne, speakers: pour associer des étiquettes) pour les leur attribuer.",
        "participation_intro": "{speakers} intervenants de {delegations} délégations et organisations ont pris la parole. Le temps de parole est mesuré en mots transcrits, car tous les formats de transcription n'enregistrent pas l'heure.",
        "states_named": "États et organisations cités pendant les séances",
        "mentions": "Mentions",
        "method_points": "Les constats de chaque thème ont été regroupés en points (sous-thèmes) selon les mots qu'ils partagent : des racines de mots qui se rejoignent entre l'anglais et le français, avec un petit glossaire, pondérées selon leur caractère distinctif dans le thème, puis regroupées par k-moyennes et fusionnées lorsqu'elles se ressemblent. Un point est nommé par ses propres mots les plus distinctifs, non par un texte généré. Les déclarations clés sont choisies parmi les constats sûrs en variant intervenants, délégations, séances et points (pertinence marginale maximale). Un point de divergence n'est retenu que si, sur un même point, une délégation nie en toutes lettres ce qu'une autre affirme ; cette règle stricte manque les oppositions formulées sans négation. Les deux ont été mesurés par rapport à une lecture manuelle de la conférence d'exemple d'outcomes (benchmarks/subtopics.py dans le dépôt outcomes) : le regroupement ne concorde que faiblement avec les points, plus fins, d'un lecteur.",
        "method_pipeline": "Chaîne de traitement", "method_models": "Modèles", "method_codebook": "Guide de codage",
        "method_accuracy": "Exactitude",
        "method_text": "Chaque transcription a été lue en interventions (intervenant, délégation, heure, ligne source), découpée en phrases par un modèle spaCy entraîné dans la langue de la séance, puis chaque phrase a été comparée au guide de codage : les indices sont des termes du guide trouvés tels quels ou par leur lemme, pondérés fort (0,9), moyen (0,6) ou faible (0,3) ; le score d'un thème est 1 − ∏(1 − w) sur ses indices distincts, et la phrase reçoit le thème lorsque le score atteint son seuil ({threshold}, sauf seuil propre au thème dans le guide) et que le sujet du thème est présent : les groupes d'ancrage du guide (pour le terrorisme chimique, un lien chimique et un acteur non étatique ; pour la vérification, les armes chimiques) figurent dans la phrase ou dans les quelques phrases qui la précèdent dans l'intervention, ou (sauf pour le terrorisme chimique, qui exige les deux) un indice fort nomme le sujet. Les phrases portant sur la salle ou la logistique (mots d'exclusion du guide) ne reçoivent aucun thème. Les propositions sont repérées par des motifs de lemmes (recommander, proposer, appeler, exhorter, s'engager, devrait) ; les phrases de procédure (donner la parole, ordre du jour, remerciements) ne sont jamais des déclarations clés ni des recommandations. Les citations sont textuelles et restent dans leur langue d'origine.",
        "accuracy_text": "L'exactitude de l'extraction des thèmes n'a pas été mesurée pour ce guide de codage (pas de données annotées réservées) ; les constats sont des pistes à vérifier dans l'intervention citée, que chaque constat référence.",
        "accuracy_realtext": "D'abord, sur des discours réels qu'aucun membre de l'équipe n'a écrits : {paragraphs} paragraphes ({per_language}) de déclarations du débat général des Nations unies et de déclarations officielles françaises, annotés chacun par deux annotateurs, dans une partie de test figée avant tout réglage. Un paragraphe porte les thèmes de ses phrases. Le F1 est donné avec un intervalle bootstrap à 95 % sur les paragraphes ; l'objectif est un F1 macro d'au moins {macro}.",
        "accuracy_realtext_absent": "Les jeux de test de discours réels n'étaient pas sur la machine qui a produit ce rapport : son exactitude sur des discours réels n'est donc pas indiquée ici ; voir docs/realtext-evaluation.md dans le dépôt d'outcomes.",
        "f1_interval": "F1 [intervalle à 95 %]",
        "accuracy_measured": "Ensuite, l'extraction des thèmes a été mesurée sur un jeu réservé de {sentences} phrases annotées ({per_language}), rédigées et annotées pour ce projet selon des consignes écrites, et jamais utilisées pour régler le guide de codage ni pour entraîner le classifieur. Précision, rappel et F1 sont donnés par thème ; kappa est le kappa de Cohen entre l'extraction et les annotations. Les objectifs sont un F1 macro d'au moins {macro} dans chaque langue et aucun thème sous {theme}.",
        "classifier_text": "Outre le guide de codage, un petit classifieur (spaCy textcat_multilabel, sac de mots et de paires de mots) entraîné sur des jeux de développement distincts (phrases annotées, et paragraphes de discours réels jamais utilisés pour le test) ajoute sa probabilité p à chaque thème : le score de la phrase est 1 − (1 − score du guide)(1 − {weight} p). Il figure parmi les indices d'un constat sous le nom « classifier ».",
        "precision": "Précision", "recall": "Rappel", "f1": "F1", "kappa": "Kappa", "support": "Phrases avec le thème",
        "key_point_text": "Les déclarations clés ne sont choisies que parmi les constats dont le score atteint le point de fonctionnement de leur thème dans leur langue : le score le plus bas à partir duquel au moins {precision} des constats relevaient du thème sur les paragraphes de discours réels de développement (sur au moins {support} constats). Lorsqu'aucun score ne l'atteint, les déclarations clés du thème sont seulement celles que le rapporteur épingle. La confiance de chaque constat (dans les exports) est son score calibré sur les mêmes paragraphes : 0,8 signifie que 8 constats sur 10 ainsi notés relevaient du thème.",
        "operating_point": "Point de fonctionnement", "dev_precision": "Précision en développement", "dev_findings": "Constats au-dessus",
        "no_point": "aucun ne l'atteint",
        "support_paragraphs": "Paragraphes portant le thème",
        "terms": "termes", "threshold": "Seuil",
        "provenance_text": "Chaque fichier d'entrée de cette production, avec son empreinte SHA-256. Une nouvelle production à partir de fichiers de même empreinte donne les mêmes constats.",
        "role": "Rôle", "path": "Fichier", "package": "Paquet", "spacy": "spaCy", "components": "Composants",
        "no_warnings": "La production n'a émis aucun avertissement.",
        "warnings_text": "Anomalies relevées à la lecture des fichiers d'entrée. Aucune n'a interrompu la production.",
        "said_by": "{speaker}{delegation}, séance {session}{time}",
        "summary_auto": "La conférence a tenu {sessions} séances sur {days} jours en {languages} langues ; {speakers} intervenants de {delegations} délégations et organisations ont pris la parole et {words} mots ont été transcrits. Des quatre thèmes, « {top} » a été le plus présent ({share} des constats).",
        "summary_auto_undated": "La conférence a tenu {sessions} séances en {languages} langues ; {speakers} intervenants de {delegations} délégations et organisations ont pris la parole et {words} mots ont été transcrits. Des quatre thèmes, « {top} » a été le plus présent ({share} des constats).",
    },
}


def text(language: str, key: str, **values) -> str:
    """Return the report string ``key`` in ``language``, formatted with ``values``."""
    table = STRINGS.get(language, STRINGS["en"])
    return table.get(key, STRINGS["en"][key]).format(**values)


def _locale(language: str) -> str:
    """Return the Babel locale of the report's ``language``; English for any other."""
    return LOCALES.get(language, LOCALES["en"])


def _missing(value) -> bool:
    """Return whether ``value`` is None, NaN (or NaT), or "": a missing date or figure."""
    return value is None or value != value or value == ""


def language_name(code: str, language: str) -> str:
    """Return the name of language ``code`` in the report's ``language`` ("fr" -> "French", "français")."""
    return Locale.parse(_locale(language)).languages.get(code, code)


def number(value, language: str) -> str:
    """Return an integer with the language's thousands separator (1,234 or 1 234 with a narrow no-break space)."""
    return format_decimal(int(value), locale=_locale(language))


def decimal(value: float, language: str) -> str:
    """Return a score or share with up to three decimals ("0.938" or "0,938"); "" when missing."""
    if _missing(value):
        return ""
    # Python rounds the binary value (0.0005 -> 0.001); Babel would round its decimal text half-even (-> 0).
    return format_decimal(round(float(value), 3), locale=_locale(language))


def percent(share: float, language: str) -> str:
    """Return a share (0-1) as a whole percentage ("42%" or "42 %" with a no-break space); "" when missing."""
    if _missing(share):
        return ""
    # Round the float product as the report always has (0.575 -> 57); Babel would round 57.5 half-even to 58.
    return format_percent(Decimal(round(float(share) * 100)) / 100, locale=_locale(language))


def _as_date(value) -> Optional[dt.date]:
    """Return ``value`` (a date, a datetime or Timestamp, or an ISO string) as a date; None when missing."""
    if _missing(value):  # None, the NaN or NaT a missing date becomes in a table, or ""
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value.date() if isinstance(value, dt.datetime) else value


def date(value, language: str) -> str:
    """Return a date as "22 October 2024" or "22 octobre 2024" ("1er octobre 2024"); "" for a session without one."""
    value = _as_date(value)
    if value is None:
        return ""
    pattern = _FIRST_OF_MONTH.get(language, _DATE) if value.day == 1 else _DATE
    return format_date(value, pattern, locale=_locale(language))


def date_range(start, end, language: str) -> str:
    """Return "22–24 October 2024" or "30 September 2024 – 2 October 2024"; "" for a conference without dates.

    House style rather than Babel's interval formats, which abbreviate the months ("22 – 24 Oct 2024") and
    set thin spaces around the dash.
    """
    start, end = _as_date(start), _as_date(end)
    if start is None or end is None:
        return ""
    if start == end:
        return date(start, language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{format_date(start, 'd', locale=_locale(language))}–{date(end, language)}"
    return f"{date(start, language)} – {date(end, language)}"


def clock(seconds) -> str:
    """Return seconds from the start of a recording as h:mm:ss, or "" when unknown."""
    if seconds is None or seconds != seconds:  # None or NaN
        return ""
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
