"""The discussions of the demo: about fifteen threads of the Going Solo group, in French
and English, with replies, quotes, mentions, a poll, an image and a pinned announcement;
who has read what; how the members react. Plain data: goingsolo/demo/steps/discussions.py
posts them through the discussions' services.

The text is content, written by and for the people of the demo, not interface: it is not
marked for translation.
"""

from dataclasses import dataclass, field

from .people import MARCO, NATHALIE, OLIVER, STEPHANIE


@dataclass
class ThreadPlan:
    """A thread of the demo. Replies are (author key, hours after the previous post, text)
    or (author key, hours, text, position of the post it quotes). "{@key}" in a text
    becomes the @handle of that person."""

    title: str
    author: str
    days_ago: float
    body: str
    replies: list = field(default_factory=list)
    announce: bool = False
    poll: dict | None = None
    # Position of the post that carries PAYMENT_DAYS_CHART, drawn as an image.
    image_at: int | None = None


@dataclass(frozen=True)
class BarChart:
    """An image the step draws: a title and bars of (label, value, RGB colour)."""

    title: str
    file_name: str
    bars: list


THREADS = [
    ThreadPlan(
        title="Bienvenue dans Going Solo — à lire avant de poster / Welcome, read me first",
        author=STEPHANIE.key,
        days_ago=44,
        announce=True,
        body=(
            "Bonjour à toutes et à tous, et bienvenue !\n\n"
            "Ce groupe est la suite de la conférence Going Solo de Lausanne et du SoloCamp "
            "de Leeds. On y parle de tout ce qui fait la vie d'indépendant·e : trouver des "
            "clients, fixer ses prix, s'organiser, ne pas rester seul·e devant son écran.\n\n"
            "Quelques habitudes qui rendent le groupe agréable :\n\n"
            "- présentez-vous dans votre premier message (métier, ville) ;\n"
            "- un sujet par fil, avec un titre qui dit de quoi il s'agit ;\n"
            "- écrivez en français ou en anglais, et répondez dans la langue qui vous vient ;\n"
            "- pas de publicité non sollicitée, mais parlez de vos services quand ils "
            "répondent à une question.\n\n"
            "*In short, for our English speakers: introduce yourself, one topic per thread, "
            "French or English as you like, no unsolicited ads.* Bonne discussion !"
        ),
        replies=[
            (
                OLIVER.key,
                3,
                "Thanks Stephanie! For newcomers: if you are unsure where to post, just start "
                "a thread, we will move things around if needed.",
            ),
            (
                NATHALIE.key,
                9,
                "Merci ! Je modère le groupe pendant que l'Europe dort : si quelque chose "
                "vous semble déplacé, signalez-le-moi et je m'en occupe.",
            ),
            (
                "daniel.okafor",
                30,
                "Hello everyone, Daniel, illustrator in Leeds. Je vais essayer d'écrire en "
                "français de temps en temps, soyez indulgents !",
            ),
        ],
    ),
    ThreadPlan(
        title="What do you do when a client pays late?",
        author="daniel.okafor",
        days_ago=38,
        image_at=6,
        body=(
            "Bit of a specific case. I delivered a set of editorial illustrations to a "
            "magazine in January, invoice at 30 days. We are now at day 52 and my emails "
            'get a polite "it\'s with accounts".\n\n'
            "How do you handle this? When do you stop being nice? Do you charge late fees, "
            "and does anyone actually pay them?"
        ),
        replies=[
            (
                "rachel.whitaker",
                2,
                "Bookkeeper here, I see this every week. What works for my clients:\n\n"
                "1. a friendly reminder the day after the due date;\n"
                "2. a firm one at +14 days, quoting the invoice number and the amount;\n"
                "3. a phone call to accounts at +21, not to your contact;\n"
                "4. a formal letter mentioning statutory interest.\n\n"
                "Most invoices are paid between steps 2 and 3. It's rarely malice, it's "
                "usually an invoice stuck in someone's inbox.",
            ),
            (
                "camille.rochat",
                4,
                "En Suisse, la suite logique est le rappel recommandé, puis la poursuite. "
                "Ça paraît violent mais c'est une procédure administrative assez simple, et "
                "le simple fait de l'évoquer débloque souvent la situation. Pensez à "
                "indiquer un délai de paiement clair sur chaque facture.",
            ),
            (
                "daniel.okafor",
                3,
                "{@pauline.rey} you know contracts: is a late fee clause actually "
                "enforceable, or is it just for show?",
            ),
            (
                "pauline.rey",
                5,
                "Ça dépend du pays, mais une clause claire d'intérêts de retard, acceptée "
                "avec le devis, est tout à fait opposable. In the UK you can also claim "
                "statutory interest on a business debt even without a clause. Le vrai sujet, "
                "c'est de savoir si vous voulez garder ce client.",
            ),
            (
                "jason.park",
                7,
                "> It's rarely malice, it's usually an invoice stuck in someone's inbox.\n\n"
                "This. Big companies pay when the invoice is in the right system with the "
                "right PO number. Ask for the PO number before you start the job and half "
                "of these problems go away.",
                2,
            ),
            (
                "thomas.keller",
                20,
                "I tracked how long my own clients took to pay last year, by type of "
                "client. Small businesses are the fastest, public bodies are slow but they "
                "always pay, large companies are the worst. Chart attached.",
            ),
            (
                "sophie.meylan",
                6,
                "Also: protect your evenings. Chasing money is draining. Block one hour on "
                "Friday mornings for invoices and reminders, and don't think about it the "
                "rest of the week.",
            ),
            (
                "daniel.okafor",
                26,
                "Update: I called accounts as Rachel suggested. The invoice was waiting for "
                "a PO number nobody had asked me for. Paid the next day. Thanks all! Merci à "
                "tous !",
            ),
            (
                "rachel.whitaker",
                1,
                "Classic. Glad it worked out!",
            ),
        ],
    ),
    ThreadPlan(
        title="Comment organisez-vous vos matinées ?",
        author="aline.bonvin",
        days_ago=33,
        body=(
            "Depuis que je travaille seule, mes matinées filent entre les mails, les "
            "réseaux sociaux et le café qui refroidit. À midi j'ai l'impression de ne rien "
            "avoir fait de vrai.\n\n"
            "Comment vous organisez-vous le matin ? Routine, horaires fixes, pas de mails "
            "avant dix heures ? Je prends toutes les idées."
        ),
        replies=[
            (
                "sophie.meylan",
                1,
                "The single thing that works for most of the people I coach: decide the "
                "evening before what the first task of the morning will be, and do it "
                "before you open your inbox. Even 45 minutes of real work changes how the "
                "whole day feels.",
            ),
            (
                "nicolas.pittet",
                3,
                "> decide the evening before what the first task of the morning will be\n\n"
                "Je confirme, c'est ce qui m'a sauvé. J'ajoute : écrire à la main la liste "
                "des trois choses à faire. Pas dix, trois.",
                2,
            ),
            (
                "julien.favre",
                2,
                "Moi je ne suis pas du matin du tout. Je commence à 10 h et je travaille "
                "jusqu'à 19 h, et j'ai arrêté de culpabiliser. L'avantage d'être "
                "indépendant, c'est aussi ça.",
            ),
            (
                "emma.sutcliffe",
                5,
                "A walk before work. Twenty minutes around the block, then I sit down as if "
                "I had arrived at an office. Sounds silly, works for me.",
            ),
            (
                "helene.roux",
                4,
                "Same as Emma, with a bakery at the end of the walk. Le croissant fait "
                "partie de la méthode.",
            ),
            (
                "karim.benali",
                8,
                "Téléphone en mode avion jusqu'à 11 h. Mes clients savent que je réponds "
                "l'après-midi, et personne ne s'en est jamais plaint.",
            ),
            (
                "marie.eve.lavoie",
                10,
                "Avec le décalage horaire, mes matinées à Québec sont l'après-midi de mes "
                "clients européens : je garde le matin pour la rédaction et je réponds aux "
                "mails après le dîner.",
            ),
            (
                "romain.chevalier",
                14,
                "Un rituel tout bête : je range mon bureau la veille au soir. Le matin, "
                "il n'y a que le dossier du jour sur la table.",
            ),
            (
                "aline.bonvin",
                20,
                "Merci pour toutes ces idées ! J'ai testé une semaine la tâche choisie la "
                "veille et le téléphone en mode avion : c'est le jour et la nuit.",
            ),
            (
                "priya.raman",
                3,
                "Late to the thread, but: I also schedule meetings only in the afternoon. "
                "Mornings are for thinking.",
            ),
            (
                "sophie.meylan",
                2,
                "Love reading this thread. Bravo Aline pour l'expérience !",
            ),
        ],
    ),
    ThreadPlan(
        title="Pricing a translation: per word, per hour or per project?",
        author="yuki.tanaka",
        days_ago=29,
        body=(
            "A new client, a games studio, asks me for a quote for the localisation of a "
            "small game: about 18,000 words of dialogue plus the interface, with a lot of "
            "back and forth expected.\n\n"
            "I usually charge per word, but here the context questions and the testing "
            "will take a lot of time. How do you price this kind of job?"
        ),
        replies=[
            (
                NATHALIE.key,
                3,
                "Je facture au mot pour la traduction pure, et à l'heure tout ce qui n'est "
                "pas de la traduction : questions de contexte, tests, relectures "
                "supplémentaires. Je l'écris noir sur blanc dans le devis, avec une "
                "estimation des heures.",
            ),
            (
                "elodie.garnier",
                5,
                "En sous-titrage on facture à la minute de programme, ce qui a l'avantage "
                "d'être simple pour le client. Pour un jeu, un forfait par lot avec un "
                "nombre d'allers-retours inclus me semble plus sain.",
            ),
            (
                "sarah.cohen",
                7,
                'Whatever you choose, put a limit on the revision rounds. "Two rounds of '
                'changes included, then hourly" saved me more than once.',
            ),
            (
                "johanna.richter",
                9,
                "Pour les jeux, je demande aussi un accès à une version jouable. Sans "
                "contexte, « Fire! » peut être un ordre, une alerte ou un bouton.",
            ),
            (
                "yuki.tanaka",
                16,
                "Thank you all. So: per word for the text, hourly for queries and testing "
                "with an estimate, two revision rounds included, and a playable build. "
                "Sending the quote tomorrow.",
            ),
            (
                "ines.peeters",
                4,
                "Bonne chance Yuki ! Et n'oubliez pas une majoration pour les délais courts, "
                "les studios adorent les délais courts.",
            ),
            (
                "chloe.martin",
                12,
                "Je plussoie Inès : +25 % sous cinq jours ouvrables chez moi, et personne "
                "ne discute.",
            ),
            (
                "yuki.tanaka",
                50,
                "Quote accepted, with the rush fee. Merci beaucoup !",
            ),
        ],
    ),
    ThreadPlan(
        title="Coworking à Lausanne : vos bonnes adresses ?",
        author=MARCO.key,
        days_ago=25,
        body=(
            "Je vais passer deux ou trois jours par semaine à Lausanne ce printemps pour "
            "un reportage. Plutôt que de travailler dans les cafés, je cherche un "
            "coworking avec une bonne connexion et une vraie table pour trier mes photos.\n\n"
            "Vous avez des adresses ? {@julien.favre}, tu y travailles toujours, non ?"
        ),
        replies=[
            (
                "julien.favre",
                2,
                "Oui, trois jours par semaine près de la gare. Ambiance calme, bonne "
                "connexion, des écrans à disposition. Il y a des cartes de dix journées, "
                "pratique si tu ne viens pas tous les jours.",
            ),
            (
                "camille.rochat",
                4,
                "Il y en a un très bien au Flon, plus animé, avec des événements le jeudi "
                "soir. Pour la photo, demande une place près des fenêtres, la lumière est "
                "belle l'après-midi.",
            ),
            (
                "tiago.ferreira",
                6,
                "I run a coworking space in Lisbon, so professional advice: ask for a free "
                "trial day. Any decent space offers one, and you will know in two hours "
                "whether the noise level suits you.",
            ),
            (
                "sophie.meylan",
                20,
                "Et si tu veux de la compagnie, on se retrouve souvent le mardi au "
                "coworking de Julien, avec Nicolas et Aline. Pause de midi commune !",
            ),
            (
                MARCO.key,
                5,
                "Parfait, merci à tous. Journée d'essai réservée pour mardi prochain, on "
                "se voit à midi alors !",
            ),
            (
                "nicolas.pittet",
                3,
                "Avec plaisir. Prends un bon antivol pour ton vélo, la rue est en pente et "
                "très fréquentée.",
            ),
            (
                "isabelle.mercier",
                30,
                "Late reply from Geneva: if you ever need a space here, I can recommend "
                "mine, quiet and right next to the lake.",
            ),
        ],
    ),
    ThreadPlan(
        title="Tools for invoices: what do you all use?",
        author="priya.raman",
        days_ago=21,
        body=(
            "I've been doing my invoices in a word processor for three years and it is "
            "time to grow up. What do you use to send invoices and follow payments? Bonus "
            "points if it handles several currencies: I bill in pounds and euros."
        ),
        replies=[
            (
                "rachel.whitaker",
                1,
                "Any tool that numbers invoices for you and tells you who hasn't paid is a "
                "big step up. I'm not allowed to recommend brands to clients, but look for "
                "multi-currency and an export your accountant can read.",
            ),
            (
                "valentin.jacot",
                3,
                "En Suisse beaucoup utilisent un logiciel de gestion local qui fait les "
                "factures QR, c'est devenu presque obligatoire ici. Ça coûte une vingtaine "
                "de francs par mois.",
            ),
            (
                "lukas.becker",
                4,
                "Unpopular opinion: a spreadsheet with an invoice template and a script "
                "that makes the PDF. Ten invoices a month don't need a subscription.",
            ),
            (
                "thomas.keller",
                2,
                "As the spreadsheet person of the group I agree with Lukas, but only if "
                'you actually look at the "unpaid" column every week. Most people don\'t.',
            ),
            (
                "mathilde.perrin",
                6,
                "Côté France, attention : la facturation électronique devient obligatoire "
                "pour tout le monde dans les prochaines années. Autant choisir un outil "
                "qui s'y prépare.",
            ),
            (
                "priya.raman",
                9,
                "{@rachel.whitaker} what export format do accountants actually like? CSV?",
            ),
            (
                "rachel.whitaker",
                2,
                "CSV with one line per invoice: date, number, client, amount before tax, "
                "tax, total, currency, date paid. That's all I need.",
            ),
            (
                "karim.benali",
                11,
                "Je code des applis mais pour mes factures j'utilise un outil en ligne tout "
                "simple, et je ne regrette pas. Le temps gagné vaut largement l'abonnement.",
            ),
            (
                "priya.raman",
                40,
                "Picked one with multi-currency and a CSV export. First invoice sent in ten "
                "minutes. Thanks everyone!",
            ),
        ],
    ),
    ThreadPlan(
        title="TVA suisse : à partir de quand faut-il s'inscrire ?",
        author="valentin.jacot",
        days_ago=18,
        body=(
            "Mon chiffre d'affaires approche doucement des 100 000 francs cette année "
            "(bonne nouvelle !) et je me demande ce que ça implique pour la TVA. Je dois "
            "m'inscrire dès que je dépasse le seuil, ou l'année suivante ? Et est-ce que ça "
            "vaut la peine de s'inscrire volontairement avant ?"
        ),
        replies=[
            (
                "camille.rochat",
                3,
                "Le seuil de 100 000 francs porte sur le chiffre d'affaires annuel réalisé en "
                "Suisse et à l'étranger. Dès que vous le dépassez, vous devez vous annoncer "
                "dans les trente jours suivant la fin de l'année, et vous êtes assujetti dès "
                "le début de l'année suivante.\n\n"
                "S'inscrire volontairement peut valoir la peine si vous avez beaucoup "
                "d'investissements (récupération de l'impôt préalable), mais vos prix "
                "augmentent pour les clients privés.",
            ),
            (
                "thomas.keller",
                5,
                "Same in Zürich of course. One thing nobody told me: look at the flat tax "
                "rate method, it makes the quarterly returns much simpler for a one-person "
                "business.",
            ),
            (
                "valentin.jacot",
                4,
                "Merci Camille, c'est limpide. Et merci Thomas, je ne connaissais pas la "
                "méthode des taux de la dette fiscale nette.",
            ),
            (
                "pauline.rey",
                10,
                "Pensez aussi à adapter vos conditions générales : indiquez si vos prix "
                "s'entendent hors taxe, pour éviter les discussions au moment de "
                "l'assujettissement.",
            ),
            (
                "camille.rochat",
                2,
                "Très juste. Et gardez une réserve pour la première déclaration, elle "
                "arrive toujours plus vite qu'on ne le pense.",
            ),
        ],
    ),
    ThreadPlan(
        title="Dire non à un client sans le perdre",
        author="claire.lemoine",
        days_ago=15,
        body=(
            "Un client fidèle me demande une refonte complète de son site pour la fin du "
            "mois, en plus de la newsletter habituelle. Impossible à tenir sans travailler "
            "tous les soirs. J'ai peur qu'un refus le fasse partir chez une agence.\n\n"
            "Comment dites-vous non ? Vous proposez autre chose ?"
        ),
        replies=[
            (
                "sophie.meylan",
                2,
                "Say no to the deadline, not to the client. \"I can't do it by the end of "
                'the month, I can deliver the new homepage by then and the rest by the 15th." '
                "Most clients prefer a clear plan to a yes that ends in a missed deadline.",
            ),
            (
                "emilie.gagnon",
                6,
                "Exactement. Et si vous avez un·e collègue de confiance, proposez de "
                "sous-traiter une partie : vous gardez le client et vous rendez service.",
            ),
            (
                "james.fletcher",
                8,
                "Also, tell them what it would cost to do it by the end of the month. "
                "Sometimes the rush fee makes the deadline magically move.",
            ),
            (
                "claire.lemoine",
                22,
                "J'ai proposé la page d'accueil pour la fin du mois et le reste en deux "
                "étapes. Il a dit oui tout de suite, et m'a remerciée d'être honnête sur "
                "les délais. Merci à vous !",
            ),
            (
                "romain.chevalier",
                3,
                "Bravo ! C'est souvent le « oui mais pas comme ça » qui fait la différence.",
            ),
            (
                "antoine.moreau",
                9,
                "Je garde ce fil pour la prochaine fois que je n'ose pas dire non.",
            ),
        ],
    ),
    ThreadPlan(
        title="First year as a freelancer: what I wish I had known",
        author="emily.chen",
        days_ago=12,
        body=(
            "It's been exactly one year since the startup I worked for folded and I went "
            "freelance. A few things I wish someone had told me on day one:\n\n"
            "- set aside a third of every payment for taxes, the day it arrives;\n"
            "- your first clients will come from people who already know your work;\n"
            "- a quiet month is normal, not a sign of failure;\n"
            "- find people who do the same thing as you. This group helped a lot.\n\n"
            "What would you add?"
        ),
        replies=[
            (
                "jason.park",
                2,
                "Three months of expenses in a separate account before you need them. Cash "
                "flow problems are what kill small businesses, not a lack of clients.",
            ),
            (
                "antoine.moreau",
                4,
                "Ne pas baisser ses prix au premier client qui négocie. J'ai mis deux ans à "
                "remonter mes tarifs après mes débuts.",
            ),
            (
                "marta.puig",
                3,
                "Write a short contract even for friends. Especially for friends.",
            ),
            (
                "gabriel.tremblay",
                7,
                "Prendre des vacances dès la première année. On croit qu'on n'a pas le "
                "droit, et on s'épuise.",
            ),
            (
                "liam.obrien",
                5,
                "Keep a list of every compliment a client sends you. Read it on the bad days.",
            ),
            (
                "aminata.diop",
                9,
                "Apprendre à parler de son travail en une phrase. À Dakar, la moitié de "
                "mes clients viennent de conversations au marché ou à un mariage.",
            ),
            (
                "emily.chen",
                4,
                "These are all great. {@liam.obrien} the compliment list is going on my wall.",
            ),
            (
                "kevin.brooks",
                12,
                "Buy the good chair. Seriously. Your back will thank you in year three.",
            ),
            (
                "sarah.cohen",
                6,
                "And say yes to the boring jobs that pay well at first. They fund the "
                "interesting ones.",
            ),
            (
                "yasmine.el.amrani",
                10,
                "Et ne pas rester seule : un groupe comme celui-ci, un coworking, un café "
                "avec une collègue une fois par semaine. L'isolement arrive sans prévenir.",
            ),
        ],
    ),
    ThreadPlan(
        title="Micro-entreprise ou SASU quand on démarre ?",
        author="karim.benali",
        days_ago=10,
        body=(
            "Un ami développeur se lance en freelance à Paris et me demande conseil. Moi "
            "j'ai commencé en micro-entreprise, mais avec des missions à 500 € la journée "
            "il va dépasser le plafond assez vite. Vous lui conseilleriez quoi ?"
        ),
        replies=[
            (
                "mathilde.perrin",
                3,
                "La micro-entreprise reste la plus simple pour tester son activité, même "
                "quelques mois. S'il dépasse le plafond, il passera à un régime réel et "
                "on pourra réfléchir à une société. Tout dépend aussi de ses frais et de sa "
                "situation familiale : qu'il prenne un rendez-vous d'une heure avec un "
                "comptable, ça lui évitera des erreurs coûteuses.",
            ),
            (
                "claire.lemoine",
                5,
                "J'ai fait le passage en SASU l'an dernier : plus de paperasse, mais une "
                "meilleure protection sociale si on se verse un salaire.",
            ),
            (
                "karim.benali",
                8,
                "Merci {@mathilde.perrin}, je lui transmets. Tu prends de nouveaux clients ?",
            ),
            (
                "mathilde.perrin",
                2,
                "Oui, qu'il m'écrive en privé.",
            ),
        ],
    ),
    ThreadPlan(
        title="Working with clients across time zones",
        author="chloe.nguyen",
        days_ago=8,
        body=(
            "Melbourne here. Most of my clients are in Europe, which means my evening is "
            "their morning and my weekend starts on their Friday morning. How do you "
            "manage calls and deadlines across time zones without working at midnight?"
        ),
        replies=[
            (
                "yuki.tanaka",
                3,
                "Tokyo, same problem. I have two fixed call windows a week, early evening "
                "my time, and clients book in them. Everything else is asynchronous: "
                "written updates, recorded videos.",
            ),
            (
                "aurelie.dumas",
                5,
                "Je fais pareil depuis Tokyo. Et j'indique toujours les échéances dans "
                "le fuseau du client, pour éviter les malentendus d'un jour.",
            ),
            (
                "martin.gomez",
                9,
                "From Buenos Aires the gap with Europe is kind: my morning is their "
                "afternoon. But I learned to put the time zone in every calendar invite.",
            ),
            (
                "lucia.fernandez",
                4,
                "Même chose ici. Le décalage est aussi un argument : mes clients européens "
                "envoient un retour le soir et trouvent la correction le lendemain matin.",
            ),
            (
                "chloe.nguyen",
                10,
                "Love the idea of selling the time difference as a feature. Two call windows "
                "a week it is.",
            ),
            (
                NATHALIE.key,
                6,
                "Depuis Montréal je confirme, c'est un argument qui marche très bien.",
            ),
        ],
    ),
    ThreadPlan(
        title="Which day suits you for the next meetup?",
        author=OLIVER.key,
        days_ago=6,
        poll={
            "question": "Which day suits you for the next meetup?",
            "options": [
                "Tuesday evening / mardi soir",
                "Wednesday lunchtime / mercredi midi",
                "Thursday evening / jeudi soir",
                "Saturday morning / samedi matin",
            ],
            "closes_in_days": 8,
        },
        body=(
            "Time for our next online meetup! One hour on video, a quick round of "
            "introductions and one topic chosen together (last time it was pricing).\n\n"
            "Vote for the day that suits you best; the time will be 18:00 Lausanne time "
            "for the evenings, to give our friends in Montréal and New York a chance."
        ),
        replies=[
            (
                "emma.sutcliffe",
                2,
                "Voted Thursday. Happy to help with the breakout rooms again.",
            ),
            (
                "marie.eve.lavoie",
                5,
                "Samedi matin pour moi serait 3 h du matin à Québec... Je vote jeudi soir, "
                "c'est midi ici.",
            ),
            (
                "daniel.okafor",
                8,
                "Thursday too. Could we do the invoices topic? The late payment thread was "
                "the most useful thing I read this year.",
            ),
            (
                STEPHANIE.key,
                3,
                "Bonne idée Daniel, je propose les factures et les relances comme thème.",
            ),
            (
                "hannah.price",
                6,
                "Voted. Tuesday would be my second choice if Thursday fills up.",
            ),
        ],
    ),
    ThreadPlan(
        title="Qui vient au SoloCamp ?",
        author=STEPHANIE.key,
        days_ago=4,
        body=(
            "En relisant les notes du SoloCamp de Leeds, j'ai très envie d'organiser un "
            "SoloCamp francophone à Lausanne cet automne : une journée de barcamp, on "
            "choisit ensemble les thèmes le matin et chacun·e peut animer une discussion.\n\n"
            "Avant de me lancer : qui viendrait ? Dites-moi aussi quels thèmes vous "
            "aimeriez aborder."
        ),
        replies=[
            ("camille.rochat", 1, "Moi ! Et je veux bien animer un atelier sur la TVA."),
            ("julien.favre", 2, "Présent. Je m'occupe du wifi, comme d'habitude."),
            (
                "aline.bonvin",
                2,
                "Oui ! Je peux faire les affiches et les badges.",
            ),
            (
                "daniel.okafor",
                5,
                "Je viens de Leeds si c'est un samedi ! Mon français sera meilleur d'ici "
                "là, promis.",
            ),
            (
                "sophie.meylan",
                3,
                "Count me in. I'd like a session on saying no and protecting your time.",
            ),
            (
                STEPHANIE.key,
                4,
                "{@daniel.okafor} génial, on fera un samedi. Et on aura des sessions en "
                "anglais aussi, ne t'inquiète pas.",
            ),
            (
                "nicolas.pittet",
                6,
                "Je viens, et je propose « trouver des clients sans démarcher ».",
            ),
            (
                "pauline.rey",
                8,
                "Partante. Je peux parler des conditions générales en trente minutes, sans jargon.",
            ),
            (
                "ines.peeters",
                10,
                "Bruxelles–Lausanne, c'est faisable en train. Je viens si la date tombe "
                "hors des vacances scolaires belges.",
            ),
            (
                "isabelle.mercier",
                4,
                "I'll come from Geneva, and I can run a short session on interviewing "
                "your own clients.",
            ),
            (
                "mathilde.perrin",
                7,
                "Je viendrai de Lyon avec deux collègues indépendantes, si c'est ouvert "
                "aux non-membres.",
            ),
            (
                STEPHANIE.key,
                2,
                "Ouvert à tout le monde bien sûr ! Je prépare un sondage pour la date, "
                "merci pour cet enthousiasme.",
            ),
        ],
    ),
    ThreadPlan(
        title="Vacances : qui part vraiment sans son ordinateur ?",
        author="gabriel.tremblay",
        days_ago=2,
        body=(
            "Je pars deux semaines en Gaspésie en juillet. Ma conjointe m'a fait promettre "
            "de laisser l'ordinateur à la maison. Je suis terrorisé.\n\n"
            "Vous faites comment pour vraiment décrocher ? Message d'absence, "
            "collègue de remplacement, rien du tout ?"
        ),
        replies=[
            (
                "emilie.gagnon",
                2,
                "Message d'absence clair, date de retour, et prévenir les clients trois "
                "semaines avant. Personne ne t'en voudra, promis.",
            ),
            (
                "kevin.brooks",
                4,
                "I leave the laptop, but I keep the phone with the email app deleted. If "
                "it's urgent, they'll call. In five years, nobody has called.",
            ),
            (
                "helene.roux",
                6,
                "Je pars sans rien et je préviens mes clients en leur proposant une "
                "collègue en cas d'urgence. Ça fait aussi travailler les copines.",
            ),
            (
                "gabriel.tremblay",
                5,
                "Bon, vous m'avez convaincu. L'ordinateur reste à Montréal.",
            ),
        ],
    ),
    ThreadPlan(
        title="Do you put your rates on your website?",
        author="hannah.price",
        days_ago=0.6,
        body=(
            "Quick question while I rewrite my website: do you publish your rates? I "
            "like the transparency, and it would filter out people who can't afford me, "
            "but I worry about being compared on price alone."
        ),
        replies=[
            (
                "james.fletcher",
                1,
                'I publish a "projects start at" figure. It filters without locking me '
                "into a price list.",
            ),
            (
                "claire.lemoine",
                2,
                "Pareil : « à partir de », et trois exemples de projets avec leur budget. "
                "Les demandes sont beaucoup plus sérieuses depuis.",
            ),
            (
                "sanne.de.vries",
                3,
                "Same here, and it saved me dozens of discovery calls that went nowhere.",
            ),
        ],
    ),
]

# How often each demo login has opened a thread, fully or part of the way.
READERS = {
    STEPHANIE.key: (0.8, 0.15),  # (read to the end, read part of it); the rest: never opened
    OLIVER.key: (0.55, 0.25),
    NATHALIE.key: (0.7, 0.2),
    MARCO.key: (0.3, 0.35),
}

# Reactions: how many a post gets is drawn from REACTIONS_PER_POST (the opening post gets
# two more, an announcement six more), each emoji from REACTION_EMOJI, among the members
# of Going Solo.
REACTIONS_PER_POST = [0, 0, 1, 1, 1, 2, 2, 3, 5]
REACTION_EMOJI = ["👍", "👍", "👍", "❤️", "❤️", "🙏", "🎉", "😂", "🤔"]

# The poll: how many members vote, and how often each option is chosen.
POLL_VOTERS = 19
POLL_WEIGHTS = [3, 1, 6, 2]


# The image in "What do you do when a client pays late?": days it took clients to pay.
PAYMENT_DAYS_CHART = BarChart(
    title="Days to get paid, 2024 (average)",
    file_name="days-to-get-paid.png",
    bars=[
        ("Small businesses", 24, (11, 110, 79)),
        ("Public bodies", 47, (52, 101, 164)),
        ("Large companies", 63, (196, 78, 52)),
    ],
)
