"""The worker: runs every standard follower of the change feed and then every sender (the
effects on other systems, after the followers' transactions committed), round after
round, until stopped. `onhand worker` and `onhand serve --worker` run it. It sits at the
top of the services (it names the areas whose followers and senders it runs).
"""
