"""/agencies/{id}/recognitions and /people/{id}/sharing: the recognition feed and each
person's consent to appear in it."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from operations.recognitions import set_sharing
from policy import partners_of, recognitions_readable_by, sharing_managed_by
from queries.recognitions import recognitions_query

from .schemas import RecognitionSchema, SharingResultSchema, SharingSchema

blp = Blueprint(
    "recognitions",
    __name__,
    url_prefix="/api/v1",
    description="Recognition feed: awards the people of an agency's partners earned at joint "
    "classes the agency took part in, for people who share their achievements.",
)


@blp.route("/agencies/<int:agency_id>/recognitions")
class Recognitions(MethodView):
    @blp.response(200, RecognitionSchema(many=True))
    @blp.paginate()
    def get(self, agency_id):
        """List awards partners' people earned at our joint classes, newest first.

        Partners are the agencies this agency lists (GET /agencies/{id}/partners); joint
        classes are those it hosted or had its people on the roster of. People who turned
        sharing off (PUT /people/{id}/sharing) and revoked awards are left out. Anyone of the
        agency, and admins, may read it.
        """
        agency = recognitions_readable_by(current_user(), agency_id)
        return recognitions_query(agency.id, partners_of(agency.id))


@blp.route("/people/<int:person_id>/sharing")
class Sharing(MethodView):
    @blp.response(200, SharingResultSchema)
    def get(self, person_id):
        """Read whether a person's awards appear in partners' recognition feeds."""
        return sharing_managed_by(current_user(), person_id)

    @blp.arguments(SharingSchema)
    @blp.response(200, SharingResultSchema)
    def put(self, data, person_id):
        """Choose whether a person's awards appear in partners' recognition feeds (the
        person themself, their home coordinator, admin); audited."""
        user = current_user()
        person = sharing_managed_by(user, person_id)
        return set_sharing(person, data["share_achievements"], user)
