"""Arabic clitics, on normalised text: the closed class every segmenting module shares.

Proclitic chains are listed longest first: the conjunctions و ف, the prepositions ب ل ك, the
future particle س, and their combinations with the article (وال, بال, "لل" = ل + the article with
its alef elided).
"""

PROCLITIC_CHAINS: tuple[str, ...] = (
    "وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل",
    "وب", "ول", "وك", "وس", "فب", "فل", "فس", "و", "ف", "ب", "ل", "ك",
)
# attached object / possessive pronouns a stem may carry
ENCLITICS: tuple[str, ...] = ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه")
# free-standing prepositions: never a word of a person's name (a model span running over one
# has swallowed the context: "… من جيبوتي")
PREPOSITIONS: frozenset[str] = frozenset({"من", "في", "الي", "علي", "عن", "مع", "منذ", "لدي"})
