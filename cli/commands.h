/* The subcommands of the polis binary; each lives in its own file under cli/
 * and returns the process exit status. argv[0] is the subcommand's name. */
#ifndef POLIS_COMMANDS_H
#define POLIS_COMMANDS_H

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_boundaries(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_tiles(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_schools(int argc, char **argv);
int cmd_basemap(int argc, char **argv);
int cmd_import_job(int argc, char **argv); /* hidden: the server's import child */
int cmd_photos(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_signing(int argc, char **argv);

#endif
