"""Arabic function words that carry no topic: dropped from queries and the index.

Written as people spell them; `arabic.py` normalises the list once at import, so a lookup is one set test.
Question words are included because analysts (and the benchmark) type whole questions ("ما هي ...؟").
"""

# Kept as plain text, one group per line, so a reviewer can see what is ignored and why.
_RAW = """
في من إلى الى على عن مع منذ حتى لدى عند بين خلال ضد نحو حول دون فوق تحت أمام خلف قبل بعد عبر لدي
و ف ثم أو أم بل لكن لكنه لكنها ولكن لا لم لن ما ليس ليست إن أن إنه أنه إنها أنها إذ إذا إذن كي لكي لأن
هل أي أين متى كيف كم لماذا ماذا مما ممن عما فيما بما لما كما ربما إنما أنما مهما أينما حيثما كلما
هو هي هم هن هما أنا نحن أنت أنتم أنتما أنتن إياه إياها إياهم
هذا هذه هذان هاتان هؤلاء ذلك تلك ذلكم أولئك هنا هناك هنالك ثمة
الذي التي الذين اللذان اللتان اللواتي اللاتي اللائي
كان كانت كانوا يكون تكون يكونون أصبح أصبحت صار صارت ليسوا مازال مازالت ظل ظلت
قد لقد سوف سيكون كل كلا كلتا بعض غير سوى أيضا جدا فقط حيث إلا الا لو لولا أما إما
له لها لهم لهن لنا لك لكم به بها بهم فيه فيها فيهم منه منها منهم عليه عليها عليهم إليه إليها إليهم
عنه عنها عنهم معه معها معهم لديه لديها لديهم عندما بينما بينهم بينها
يا أيها ذو ذات ذا تم تمت وقد وقال قال قالت وقالت وكان وكانت
"""

STOPWORDS_RAW: frozenset[str] = frozenset(_RAW.split())
