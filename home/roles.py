"""The roles of the site and what each may do, in one table.

The groups are created and kept in step by data migrations that call ``apply_roles``: a later
migration that adds a permission to this table calls it again. Group names are Chinese because
they are what staff see in the admin.

- 编辑 (editors) write pages and polls, upload images and documents, and submit pages and polls
  for approval (a poll they create is a draft until a moderator approves it).
- 审核 (moderators) also approve and publish (pages and polls), edit the site profile and menu,
  verify residents, moderate comments, keep the sensitive-word list, enter paper ballots and
  seal a poll early.
- 审计 (auditors, 居务监督委员会) may enter the admin and read, never change; they alone audit
  polls (ledger, tally, exports).
- 网格员 (grid workers) enter the admin and see the grids, buildings and flats they look after
  (the reports dispatched to them come with resident services).
- 居民 (residents) have no admin access at all.
"""

from dataclasses import dataclass, field

EDITORS = "编辑"
MODERATORS = "审核"
AUDITORS = "审计"
RESIDENTS = "居民"
GRID_WORKERS = "网格员"

WORKFLOW_NAME = "社区审核"
APPROVAL_TASK_NAME = "审核组审批"
# Snippet models ("app_label.model") under the same workflow as pages: an editor's draft reaches
# residents only once a moderator approves it.
WORKFLOW_SNIPPETS = ["deliberation.poll"]

# Collection permissions on images and documents, by level.
MEDIA_WRITE = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
MEDIA_DELETE = ["wagtailimages.delete_image", "wagtaildocs.delete_document"]


@dataclass(frozen=True)
class Role:
    admin_access: bool = False
    # Wagtail page permission codenames, granted on the root page (so on every page).
    page_permissions: list[str] = field(default_factory=list)
    # "app_label.codename", granted on the root collection.
    collection_permissions: list[str] = field(default_factory=list)
    # "app_label.codename" model permissions.
    model_permissions: list[str] = field(default_factory=list)


ROLES: dict[str, Role] = {
    EDITORS: Role(
        admin_access=True,
        page_permissions=["add_page", "change_page", "lock_page"],
        collection_permissions=MEDIA_WRITE,
        model_permissions=[
            "news.add_newscategory",
            "news.change_newscategory",
            "news.view_newscategory",
            "deliberation.add_poll",
            "deliberation.change_poll",
            "deliberation.view_poll",
            "deliberation.change_topicsuggestion",
            "deliberation.view_topicsuggestion",
            "search.add_searchterm",
            "search.change_searchterm",
            "search.view_searchterm",
        ],
    ),
    MODERATORS: Role(
        admin_access=True,
        page_permissions=["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
        collection_permissions=MEDIA_WRITE + MEDIA_DELETE,
        model_permissions=[
            "news.add_newscategory",
            "news.change_newscategory",
            "news.delete_newscategory",
            "news.view_newscategory",
            "home.change_communitysettings",
            "home.change_navigationsettings",
            "community.add_household",
            "community.change_household",
            "community.view_household",
            "community.add_building",
            "community.change_building",
            "community.view_building",
            "community.add_grid",
            "community.change_grid",
            "community.view_grid",
            "community.change_residency",
            "community.view_residency",
            "community.verify_residency",
            "deliberation.add_poll",
            "deliberation.change_poll",
            "deliberation.publish_poll",
            "deliberation.view_poll",
            "deliberation.seal_poll",
            "deliberation.enter_paper_ballot",
            "deliberation.view_participation",
            "deliberation.change_topicsuggestion",
            "deliberation.view_topicsuggestion",
            "deliberation.view_stancecomment",
            "deliberation.moderate_stancecomment",
            "deliberation.view_commentmoderation",
            "deliberation.add_sensitiveword",
            "deliberation.change_sensitiveword",
            "deliberation.delete_sensitiveword",
            "deliberation.view_sensitiveword",
            "search.add_searchterm",
            "search.change_searchterm",
            "search.delete_searchterm",
            "search.view_searchterm",
        ],
    ),
    AUDITORS: Role(
        admin_access=True,
        model_permissions=[
            "news.view_newscategory",
            "community.view_household",
            "community.view_building",
            "community.view_grid",
            "community.view_residency",
            "deliberation.view_poll",
            "deliberation.view_participation",
            "deliberation.view_topicsuggestion",
            "deliberation.view_stancecomment",
            "deliberation.view_commentmoderation",
            "deliberation.view_sensitiveword",
            "deliberation.audit_poll",
        ],
    ),
    GRID_WORKERS: Role(
        admin_access=True,
        model_permissions=[
            "community.view_grid",
            "community.view_building",
            "community.view_household",
        ],
    ),
    RESIDENTS: Role(),
}


def _permission(apps, dotted: str):
    """The permission, or None when its model does not exist yet at this point of the migration
    history (a later migration applies the roles again once it does)."""
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def _create_all_permissions(apps) -> None:
    """Permissions are normally created after ``migrate`` finishes; roles need them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _create_publish_permissions(apps) -> None:
    """Wagtail creates a snippet's ``publish_<model>`` permission only after ``migrate`` (its
    ``create_extra_permissions``); the roles need it now. Only once the model has a draft state
    (``live``): before, there is nothing to publish."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for dotted in WORKFLOW_SNIPPETS:
        app_label, model_name = dotted.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if "live" not in {f.name for f in model._meta.get_fields()}:
            continue
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"publish_{model_name}",
            defaults={"name": f"Can publish {model._meta.verbose_name_raw}"},
        )


def apply_roles(apps, schema_editor=None) -> None:
    """Create the groups and give each exactly the permissions in ROLES."""
    _create_all_permissions(apps)
    _create_publish_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    access_admin = _permission(apps, "wagtailadmin.access_admin")

    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        model_permissions = [
            found for p in role.model_permissions if (found := _permission(apps, p)) is not None
        ]
        if role.admin_access:
            model_permissions.append(access_admin)
        group.permissions.set(model_permissions)

        GroupPagePermission.objects.filter(group=group).delete()
        for codename in role.page_permissions:
            permission = _permission(apps, f"wagtailcore.{codename}")
            GroupPagePermission.objects.create(group=group, page=root_page, permission=permission)

        GroupCollectionPermission.objects.filter(group=group).delete()
        for dotted in role.collection_permissions:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=_permission(apps, dotted)
            )


def apply_workflow(apps, schema_editor=None) -> None:
    """Put every page, and the snippets of ``WORKFLOW_SNIPPETS`` (polls), under the 社区审核
    workflow: editors submit, moderators approve.

    Wagtail's own default groups and their workflow are removed so staff see only ours.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()
    Workflow.objects.filter(name="Moderators approval").delete()
    Task.objects.filter(name="Moderators approval").delete()

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=APPROVAL_TASK_NAME, defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([Group.objects.get(name=MODERATORS)])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(
        page=Page.objects.get(depth=1), defaults={"workflow": workflow}
    )

    try:
        WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    except LookupError:  # Wagtail's snippet workflows come later in the migration history
        return
    for dotted in WORKFLOW_SNIPPETS:
        app_label, model_name = dotted.split(".")
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )
