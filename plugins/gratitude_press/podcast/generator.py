"""Write the show page (``podcast.html``), paginated like Pelican's own lists.

A generator from ``get_generators``: it runs after every episode is read and its
links resolved (``context["podcast_show"]``, ``context["podcast_links"]``).
"""

from pelican.generators import Generator

from ..settings import config_of
from ..state import state_of
from .show import page_lists, season_groups

TEMPLATE = "podcast"


class ShowPageGenerator(Generator):
    def generate_output(self, writer):
        show = self.context.get("podcast_show")
        config = config_of(self.settings).podcast
        if config is None or not show or not show["page_save_as"]:
            return
        trailers, newest, episodes = page_lists(
            state_of(self.context).episodes, config.type
        )
        # The episodes of a page are ``episodes_page.object_list``. No ``article``
        # or ``page`` is passed: the sitemap and the meta tags would take this page
        # for that post.
        writer.write_file(
            show["page_save_as"],
            self.get_template(TEMPLATE),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            paginated={"episodes": episodes},
            template_name=TEMPLATE,
            url=show["url"],
            trailers=trailers,
            newest_episode=newest,
            season_groups=season_groups,
            show_page=True,
        )
