"""Queries whose SQL is built once per process (docs/decisions/0002-read-path.md).

Django builds a queryset and compiles it to SQL on every call. For the questions every
page asks again and again with other numbers — which group has this address, how far did
I read this thread, which posts are on page 3 — building and compiling the query costs
more than running it (1.2 ms of the thread page's posts query, which runs in 0.3 ms). A
`PreparedQuery` builds its queryset once per database with stand-in values for its
parameters, keeps the SQL, and from then on only runs it with the real values:

    unread = PreparedQuery(
        lambda user_id: Notification.objects.filter(recipient_id=user_id, read_at=None),
        count=True,
    )
    unread.value(user_id=7)

    group_of = PreparedQuery(lambda slug: Group.objects.filter(slug=slug)[:1], text=["slug"])
    group_of.objects(slug="lausanne")  # [<Group: …>]

Parameters are ids or positions (integers compared with integer columns), text for those
named in `text` (compared as they are: not `iexact` or `contains`, which change the value),
moments (aware datetimes compared with date-time columns) for those named in `moments`:
"now" is a parameter, never part of the build; or lists of ids for those named in `lists`
(`user_id__in=user_ids`): the SQL is built once for each length of list asked, and an
empty list is refused (SQL has no empty `IN ()`; the caller knows the answer is none). A parameter that does not reach the SQL as it was given is refused when the query
is first prepared. The build must depend on nothing else that changes — not the time
(`timezone.now()`), not a setting read at call time — since its SQL is kept.

`rows()` and `value()` give the values as the database returns them, without Django's
converters (ask for numbers and text: SQLite returns dates as text); `objects()` gives
model instances exactly as iterating the queryset would (converters, select_related,
annotations, then its prefetch_related lookups), through Django's own row-to-instance
code, kept from the compiler of the first build.
"""

import copy
import datetime
import inspect
import itertools
import threading
import weakref
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, prefetch_related_objects, signals
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.query_utils import DeferredAttribute

# Numbers no id or position of any table reaches, distinct for every parameter ever
# prepared: a parameter is found in the compiled query's values by its stand-in. Within a
# 32-bit integer column's range: Django compiles a comparison with a number beyond it as
# "no row" (EmptyResultSet) on PostgreSQL, without a parameter.
_STAND_INS = itertools.count(start=2_146_000_001)
# Moments' stand-ins: far in the future, a microsecond apart.
_FAR_FUTURE = datetime.datetime(2190, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # One per value of the SQL: (the parameter's type, its name), or (None, a constant).
    slots: tuple
    # For objects(): the compiler that compiled the SQL (its select list and how rows map to
    # instances), and the queryset's prefetch_related lookups.
    compiler: object
    prefetch: tuple
    # How a row becomes an instance, worked out once (objects()): None without a compiler.
    plan: "_InstancePlan | None" = None


class _InstancePlan:
    """What Django's ModelIterable works out for every query it runs — which columns make
    the instance, the related instances' populators, the annotations, each column's
    converters — worked out once for a prepared query: they depend on its compiled select
    list alone (a tenth of a thread page went to doing it again for each query)."""

    def __init__(self, compiler, using):
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.attnames = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, using)
        self.annotations = list(compiler.annotation_col_map.items())
        self.columns = [column[0] for column in select[0 : compiler.col_count]]
        self.composite = compiler.has_composite_fields(self.columns)
        # Converters are bound to a connection's operations: one list per connection (a
        # thread's own), forgotten with it.
        self._converters = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def converters(self, compiler, connection):
        converters = self._converters.get(connection)
        if converters is None:
            converters = [
                (position, functions, expression)
                for position, (functions, expression) in compiler.get_converters(
                    self.columns
                ).items()
            ]
            with self._lock:
                self._converters[connection] = converters
        return converters


# The attributes of columns that keep the value given in the instance's __dict__ and do no
# more on a new instance (a plain value; a foreign key's id, with nothing cached yet to
# forget; a file's name, turned into a file when read). Others are set through theirs.
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor)
_setters_of = {}


def _setters(model):
    """None when MODEL's instances must be made by Model.from_db (an override, a pre_init
    or post_init receiver such as an image's dimensions); else the (attname, descriptor)
    of the columns whose attribute does more than keep the value (a country's code)."""
    if model in _setters_of:
        return _setters_of[model]
    setters = None
    if (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    ):
        setters = []
        for field in model._meta.concrete_fields:
            descriptor = inspect.getattr_static(model, field.attname, None)
            if type(descriptor) not in _PLAIN_DESCRIPTORS and hasattr(descriptor, "__set__"):
                setters.append((field.attname, descriptor))
        setters = tuple(setters)
    _setters_of[model] = setters
    return setters


def _make(model, using, attnames, values):
    """MODEL's instance from a row, as MODEL.from_db(USING, ATTNAMES, VALUES) makes it.
    Model.__init__ sets each column through its attribute and sends two signals: a third
    of what a page of posts cost to make (bench/read_path.py). Here the columns go to the
    instance's __dict__ at once, and only the attributes that do more are set one by one."""
    setters = _setters(model)
    if setters is None:
        return model.from_db(using, attnames, values)
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding = False
    state.db = using
    kept = instance.__dict__
    kept.update(zip(attnames, values, strict=True))
    for attname, descriptor in setters:
        if attname in kept:
            descriptor.__set__(instance, kept[attname])
    return instance


def _populate(populator, row, instance):
    """Django's RelatedPopulator.populate (a select_related instance of ROW, set on
    INSTANCE and back), its instances made by _make."""
    if populator.reorder_for_init:
        values = populator.reorder_for_init(row)
    else:
        values = row[populator.cols_start : populator.cols_end]
    related = None
    if values[populator.pk_idx] is not None:
        related = _make(populator.model_cls, populator.db, populator.init_list, values)
        for inner in populator.related_populators:
            _populate(inner, row, related)
    populator.local_setter(instance, related)
    if related is not None:
        populator.remote_setter(related, instance)


class PreparedQuery:
    def __init__(self, build, *, count=False, text=(), moments=(), lists=()):
        self.build = build
        self.count = count
        self.names = tuple(inspect.signature(build).parameters)
        self.text = frozenset(text)
        self.moments = frozenset(moments)
        self.lists = tuple(lists)
        self._compiled = {}  # (database alias, the lists' lengths) → _Compiled
        self._lock = threading.Lock()

    def _stand_in(self, name):
        number = next(_STAND_INS)
        if name in self.text:
            return f"prepared-stand-in-{number}"
        if name in self.moments:
            return _FAR_FUTURE + datetime.timedelta(microseconds=number)
        return number

    def _expected_type(self, name):
        if name in self.text:
            return str
        if name in self.moments:
            return datetime.datetime
        return int

    def _compile(self, using, lengths):
        stand_ins = {name: self._stand_in(name) for name in self.names}
        for name, length in zip(self.lists, lengths, strict=True):
            stand_ins[name] = [self._stand_in(name) for _ in range(length)]
        queryset = self.build(**stand_ins)
        adapt_moment = connections[using].ops.adapt_datetimefield_value
        compiler = queryset.query.get_compiler(using)
        try:
            sql, values = compiler.as_sql()
        except EmptyResultSet as error:
            raise ValueError(
                "a PreparedQuery's parameters are compared with integer columns of 32 bits"
                " or more (a smaller column would not hold the stand-in)"
            ) from error
        # A moment reaches the SQL as the backend adapts it (text on SQLite).
        names_of = {
            (adapt_moment(stand_in) if name in self.moments else stand_in): name
            for name, stand_in in stand_ins.items()
            if name not in self.lists
        }
        # A list's items: (its name, the item's index).
        for name in self.lists:
            names_of.update(
                {stand_in: (name, index) for index, stand_in in enumerate(stand_ins[name])}
            )
        slots = []
        for value in values:
            # An int, or the int type the database adapter wraps it in (psycopg's Int4 for
            # an integer column): the real value is given the same type.
            is_parameter = isinstance(value, int | str | datetime.datetime) and not isinstance(
                value, bool
            )
            name = names_of.get(value) if is_parameter else None
            if name is None:
                slots.append((None, value))
            elif name in self.moments:
                slots.append((adapt_moment, name))
            else:
                slots.append((type(value), name))
        used = {
            name[0] if type(name) is tuple else name for kind, name in slots if kind is not None
        }
        if used != set(self.names):
            raise ValueError(
                f"parameters {sorted(set(self.names) - used)} are not in the query's values:"
                " a PreparedQuery's parameters must reach its SQL as they are."
            )
        if self.count:
            sql = f"SELECT COUNT(*) FROM ({sql}) counted"
        objects = queryset._iterable_class is ModelIterable and not queryset._known_related_objects
        return _Compiled(
            sql=sql,
            slots=tuple(slots),
            compiler=compiler if objects else None,
            prefetch=tuple(queryset._prefetch_related_lookups),
            plan=_InstancePlan(compiler, using) if objects else None,
        )

    def _prepared(self, using, parameters):
        key = using
        if self.lists:
            if not all(type(parameters[name]) in (list, tuple) for name in self.lists):
                raise TypeError(f"{self.lists} must be lists")
            lengths = tuple(len(parameters[name]) for name in self.lists)
            if not all(lengths):
                raise ValueError(f"{self.lists} may not be empty")
            key = (using, lengths)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(
                    using, lengths if self.lists else ()
                )
                self._compiled[key] = compiled
        return compiled

    def _execute(self, compiled, using, parameters):
        values = []
        for kind, name_or_value in compiled.slots:
            if kind is None:
                values.append(name_or_value)
                continue
            if type(name_or_value) is tuple:  # an item of a list
                name, index = name_or_value
                value = parameters[name][index]
                name_or_value = name
            else:
                value = parameters[name_or_value]
            expected = self._expected_type(name_or_value)
            if type(value) is not expected:
                raise TypeError(f"{name_or_value} must be {expected.__name__}, not {value!r}")
            values.append(value if kind is expected else kind(value))
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, values)
            return cursor.fetchall()

    def rows(self, using="default", **parameters):
        """The rows (tuples of values) of the query with PARAMETERS."""
        return self._execute(self._prepared(using, parameters), using, parameters)

    def value(self, using="default", **parameters):
        """The first column of the first row, or None when there is no row."""
        rows = self.rows(using, **parameters)
        return rows[0][0] if rows else None

    def objects(self, using="default", **parameters):
        """The model instances of the query with PARAMETERS, as a list: what iterating the
        queryset gives (Django's ModelIterable, from the kept compiler)."""
        compiled = self._prepared(using, parameters)
        if compiled.compiler is None:
            raise TypeError("objects() needs a queryset of model instances (no values())")
        rows = self._execute(compiled, using, parameters)
        plan = compiled.plan
        # The kept compiler, on this thread's connection (converters may read it).
        connection = connections[using]
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        converters = plan.converters(compiler, connection)
        if converters:
            rows = _converted(rows, converters, connection)
        if plan.composite:
            rows = compiler.composite_fields_to_tuples(rows, plan.columns)
        model, start, end, attnames = plan.model, plan.start, plan.end, plan.attnames
        instances = []
        for row in rows:
            instance = _make(model, using, attnames, row[start:end])
            for populator in plan.populators:
                _populate(populator, row, instance)
            for name, position in plan.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        if compiled.prefetch and instances:
            prefetch_related_objects(instances, *compiled.prefetch)
        return instances

    def first(self, using="default", **parameters):
        """The first instance, or None (build the queryset with its order and [:1])."""
        instances = self.objects(using, **parameters)
        return instances[0] if instances else None


def _converted(rows, converters, connection):
    """ROWS with each value through its column's CONVERTERS, as Django's compiler converts
    them (SQLITE's text to dates, decimals…)."""
    converted = []
    for row in rows:
        row = list(row)
        for position, functions, expression in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(row)
    return converted
