import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from goingsolo.accounts.models import User
from goingsolo.groups.models import Group, JoinPolicy, Membership, Role, Visibility

PASSWORD = "correct horse battery staple"  # every member the factory makes


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    display_name = factory.Faker("name")
    city = "Lausanne"
    country = "CH"
    time_zone = "Europe/Zurich"
    language = "en"
    spoken_languages = factory.LazyFunction(lambda: ["en", "fr"])
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Members made by the factory have a verified primary address, as after sign-up."""
        if not create:
            return
        obj.save()
        if extracted is False:
            return

        EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    description_en = "A group for independent workers."
    description_fr = "Un groupe pour indépendants."
    visibility = Visibility.CLOSED
    join_policy = JoinPolicy.APPROVAL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER
    rules_accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def count(obj, create, extracted, **kwargs):
        if create:
            Group.objects.filter(pk=obj.group_id).update(member_count=obj.group.memberships.count())


def member_of(group, role=Role.MEMBER, **user_fields):
    """A new member of GROUP with ROLE."""
    return MembershipFactory(group=group, role=role, user=UserFactory(**user_fields)).user
