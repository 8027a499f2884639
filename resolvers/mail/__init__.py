"""E-mail: the server setting, the transports, the templates and the MIME message.

`resolvers.outbox_sender` uses these to deliver what `orm.outbox` holds.
"""
